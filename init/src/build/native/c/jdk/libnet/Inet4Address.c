/* java.net.Inet4Address field ids: unchanged for JDK 25. */
#include <java.base/share/native/libnet/Inet4Address.c>
