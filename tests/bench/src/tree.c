/*
 * Shutdown tree: the main child of the init under test.
 *
 *   tree FIFO MARKER TOTAL OWN_SESSIONS [MIDS]
 *
 * Builds a tree of TOTAL processes (this root included): the root forks MIDS workers (default
 * 10), each worker forks its share of the leaves. OWN_SESSIONS of the leaves call setsid(), so a
 * signal to the root's process group does not reach them. Every process has a SIGTERM handler
 * that exits; the root's handler first sends SIGTERM to its own process group, as an application
 * that stops its workers would. Every process writes one byte to FIFO once it is set up, so the
 * driver knows when all TOTAL are running. MARKER is only there to be found in
 * /proc/PID/cmdline (every process of the tree shares this argv), so leftovers can be counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t is_root = 1;

static void on_term(int sig) {
    (void) sig;
    if (is_root) kill(0, SIGTERM);
    _exit(0);
}

static void ready(int fd) {
    char b = 'r';
    while (write(fd, &b, 1) < 0 && errno == EINTR) {
    }
}

static void idle(void) {
    for (;;) pause();
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: tree FIFO MARKER TOTAL OWN_SESSIONS [MIDS]\n");
        return 2;
    }
    int total = atoi(argv[3]);
    int own = atoi(argv[4]);
    int mids = argc > 5 ? atoi(argv[5]) : 10;
    int leaves = total - 1 - mids;
    if (leaves < own || leaves < 0) {
        fprintf(stderr, "tree: TOTAL too small\n");
        return 2;
    }
    setpgid(0, 0); /* fails harmlessly when already a group or session leader */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGCHLD, SIG_DFL);
    sigset_t un;
    sigemptyset(&un);
    sigaddset(&un, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &un, NULL);
    int fd = open(argv[1], O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        perror("tree: open");
        return 1;
    }
    for (int m = 0; m < mids; m++) {
        int mine = leaves / mids + (m < leaves % mids);
        int own_here = own / mids + (m < own % mids);
        pid_t p = fork();
        if (p < 0) {
            perror("tree: fork");
            break;
        }
        if (p > 0) continue;
        is_root = 0;
        for (int l = 0; l < mine; l++) {
            pid_t q = fork();
            if (q < 0) {
                perror("tree: fork");
                break;
            }
            if (q > 0) continue;
            if (l < own_here && setsid() < 0) perror("tree: setsid");
            ready(fd);
            idle();
        }
        ready(fd);
        idle();
    }
    ready(fd);
    idle();
}
