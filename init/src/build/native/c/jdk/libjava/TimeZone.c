/* java.util.TimeZone: the GMT offset of the system time zone; unchanged for JDK 25 (svm finds the zone id itself). */
#include <java.base/share/native/libjava/TimeZone.c>
