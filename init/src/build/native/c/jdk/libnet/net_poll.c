/*
 * NET_Poll, the one function libnet needs from JDK 17's linux_close.c. That file wraps every
 * blocking socket call of the socket implementation JDK 22+ no longer has, and installs a
 * signal handler from a constructor as the image starts: not built. This is poll(2) retried on
 * EINTR, which is what its caller in net_util_md.c expects.
 */
#include <errno.h>
#include <poll.h>

int NET_Poll(struct pollfd *ufds, unsigned int nfds, int timeout) {
    int n;
    do {
        n = poll(ufds, nfds, timeout);
    } while (n == -1 && errno == EINTR);
    return n;
}
