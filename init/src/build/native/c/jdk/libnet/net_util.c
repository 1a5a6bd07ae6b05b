/* JNI_OnLoad_net and the socket helpers libnio uses (NET_Bind, socket options, address conversion): unchanged for JDK 25. */
#include <java.base/share/native/libnet/net_util.c>
