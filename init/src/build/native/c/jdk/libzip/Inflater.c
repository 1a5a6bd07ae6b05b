/* java.util.zip.Inflater (zlib): unchanged for JDK 25. */
#include <java.base/share/native/libzip/Inflater.c>
