/* The Unix half of net_util.c: unchanged for JDK 25. */
#include <java.base/unix/native/libnet/net_util_md.c>
