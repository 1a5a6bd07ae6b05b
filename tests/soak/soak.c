/*
 * Soak load for jinit (tests/soak/run.sh and FaultsTest): run as jinit's main child.
 *
 *   soak DIR ORPHANS SIGNALS [ORPHANS SIGNALS ...]
 *
 * Writes DIR/ready. Then, for each phase i (1, 2, ...): waits for DIR/go<i>, makes ORPHANS
 * orphans (grandchildren that exit at once and are re-parented to jinit; at most 512 of them
 * not yet reaped: it waits until jinit has reaped the oldest), sends SIGNALS SIGUSR1 to jinit
 * one at a time, each waited for as it comes back relayed to this process's group, and writes
 * DIR/done<i>: "orphans=N signals=N lost=N seconds=S". Finally waits for DIR/end and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RING 512

static const char *dir;

static int exists(const char *name) {
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

static void put(const char *name, const char *text) {
    char p[4096], q[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    snprintf(q, sizeof q, "%s.tmp", p);
    FILE *f = fopen(q, "w");
    if (!f) { perror(q); exit(1); }
    fputs(text, f);
    fclose(f);
    rename(q, p);
}

static void await(const char *name) {
    while (!exists(name)) usleep(10000);
}

static int gone(pid_t pid) {
    return pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc % 2) {
        fprintf(stderr, "usage: soak DIR ORPHANS SIGNALS [ORPHANS SIGNALS ...]\n");
        return 2;
    }
    dir = argv[1];
    pid_t jinit = getppid();
    volatile pid_t *slot = mmap(NULL, sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    static pid_t ring[RING];
    long next = 0;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    put("ready", "");
    for (int phase = 1; 2 * phase < argc; phase++) {
        long orphans = atol(argv[2 * phase]), signals = atol(argv[2 * phase + 1]);
        char name[64], text[256];
        snprintf(name, sizeof name, "go%d", phase);
        await(name);
        double start = now();
        long made = 0, lost = 0;
        while (made < orphans) {
            while (!gone(ring[next % RING])) usleep(100);
            pid_t c = fork();
            if (c < 0) { usleep(1000); continue; }
            if (c == 0) {
                pid_t g = fork();
                if (g == 0) _exit(0);
                *slot = g;
                _exit(0);
            }
            waitpid(c, NULL, 0);
            ring[next++ % RING] = *slot;
            made++;
        }
        for (int i = 0; i < RING; i++) while (!gone(ring[i])) usleep(100);
        struct timespec wait = {5, 0};
        for (long i = 0; i < signals; i++) {
            kill(jinit, SIGUSR1);
            if (sigtimedwait(&usr1, NULL, &wait) != SIGUSR1) lost++;
        }
        snprintf(text, sizeof text, "orphans=%ld signals=%ld lost=%ld seconds=%.1f", made, signals, lost, now() - start);
        snprintf(name, sizeof name, "done%d", phase);
        put(name, text);
    }
    await("end");
    return 0;
}
