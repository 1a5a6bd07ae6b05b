/* sun.nio.ch.UnixDomainSockets (UNIX-domain SocketChannel: jinit ctl): unchanged for JDK 25. */
#include <java.base/unix/native/libnio/ch/UnixDomainSockets.c>
