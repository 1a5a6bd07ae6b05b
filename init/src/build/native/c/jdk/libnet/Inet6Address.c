/* java.net.Inet6Address field ids: unchanged for JDK 25. */
#include <java.base/share/native/libnet/Inet6Address.c>
