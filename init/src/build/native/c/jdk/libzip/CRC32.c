/* java.util.zip.CRC32 (zlib): unchanged for JDK 25. */
#include <java.base/share/native/libzip/CRC32.c>
