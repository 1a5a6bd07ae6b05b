/*
 * Reap-throughput child: run as the main child of an init that is PID 1 of a fresh PID namespace.
 *
 *   zombies N [TIMEOUT_S [self]]
 *
 * Forks a "maker" that forks N children which _exit(0) at once. The maker waits until all N have
 * exited (EOF on a pipe whose write end only they hold), so they are all zombies of the maker,
 * records CLOCK_MONOTONIC and exits: the kernel re-parents the N zombies to the namespace's init
 * at once. This process then waits until every one of the N pids is gone (kill(pid, 0) fails
 * with ESRCH, which happens when the init has reaped it) and prints one line:
 *
 *   zombies=N reaped=N ns=<t_last_gone - t_maker_exit> fork_ns=<time to fork all> left=<still there>
 *   reparent_ns=<t_maker_exit .. this process's waitpid(maker) returned>
 *
 * reparent_ns bounds the kernel's share: the maker's exit re-parents all N before its parent is
 * notified. With "self" (the bare baseline, no init needed) the maker reaps its own N zombies with
 * waitpid() instead of exiting, and the time runs the same way: the kernel's floor for reaping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
    volatile int64_t t_fork_start, t_exit;
    volatile int count, err;
    pid_t pids[];
};

static int64_t now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: zombies N [TIMEOUT_S]\n");
        return 2;
    }
    int n = atoi(argv[1]);
    double timeout_s = argc > 2 ? atof(argv[2]) : 120;
    int self = argc > 3 && strcmp(argv[3], "self") == 0;
    size_t sz = sizeof(struct shared) + (size_t) n * sizeof(pid_t);
    struct shared *sh = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    pid_t maker = fork();
    if (maker < 0) {
        perror("fork");
        return 1;
    }
    if (maker == 0) {
        int p[2];
        if (pipe(p) < 0) _exit(1);
        sh->t_fork_start = now();
        for (int i = 0; i < n; i++) {
            pid_t c = fork();
            if (c == 0) _exit(0); /* closes its copy of p[1] */
            if (c < 0) {
                sh->err = errno;
                break;
            }
            sh->pids[i] = c;
            sh->count = i + 1;
        }
        close(p[1]);
        char b;
        while (read(p[0], &b, 1) < 0 && errno == EINTR) {
        }
        /* all children have exited: they are zombies of this process */
        sh->t_exit = now();
        if (self) {
            while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
            }
        }
        _exit(0);
    }
    int st;
    while (waitpid(maker, &st, 0) < 0 && errno == EINTR) {
    }
    int64_t t_reparented = now();
    int64_t deadline = sh->t_exit + (int64_t) (timeout_s * 1e9);
    int gone = 0;
    struct timespec pause = {0, 200000}; /* 0.2 ms: resolution, and little CPU taken from the init */
    for (int i = 0; i < sh->count; i++) {
        while (kill(sh->pids[i], 0) == 0 || errno != ESRCH) {
            if (now() > deadline) goto out;
            nanosleep(&pause, NULL);
        }
        gone++;
    }
out:;
    int64_t t_end = now();
    if (sh->err) fprintf(stderr, "zombies: fork failed after %d children: %s\n", sh->count, strerror(sh->err));
    printf("zombies=%d reaped=%d ns=%lld fork_ns=%lld left=%d reparent_ns=%lld\n", sh->count, gone,
           (long long) (t_end - sh->t_exit), (long long) (sh->t_exit - sh->t_fork_start), sh->count - gone,
           (long long) (t_reparented - sh->t_exit));
    fflush(stdout);
    return 0;
}
