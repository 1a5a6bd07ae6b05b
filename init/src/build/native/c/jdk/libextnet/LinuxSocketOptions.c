/* jdk.net.LinuxSocketOptions (extended socket options SocketChannel looks up) and JNI_OnLoad_extnet: unchanged for JDK 25. */
#include <jdk.net/linux/native/libextnet/LinuxSocketOptions.c>
