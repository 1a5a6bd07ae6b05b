/* The Unix half of TimeZone.c: unchanged for JDK 25. */
#include <java.base/unix/native/libjava/TimeZone_md.c>
