/*
 * Relay-latency child: started by relay_driver through the init under test.
 *
 *   latency_child FIFO
 *
 * Installs a SIGUSR1 handler that reads CLOCK_MONOTONIC on entry and writes it (8 bytes) to FIFO,
 * writes its pid, negated, as one 8-byte "ready" value, then waits in pause(). SIGTERM keeps its
 * default action.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fd = -1;

static void on_usr1(int sig) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t t = (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
    (void) sig;
    (void) !write(fd, &t, sizeof t);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: latency_child FIFO\n");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t un;
    sigemptyset(&un);
    sigaddset(&un, SIGUSR1);
    sigaddset(&un, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &un, NULL);
    fd = open(argv[1], O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        perror("latency_child: open");
        return 1;
    }
    int64_t ready = -(int64_t) getpid();
    if (write(fd, &ready, sizeof ready) != sizeof ready) return 1;
    for (;;) pause();
}
