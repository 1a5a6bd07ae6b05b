/*
 * workers: a small service with workers, for an image FROM scratch (no shell, no JVM, no libc):
 * built with gcc -static. Every process prints "ready ROLE pid=N ppid=N pgid=N sid=N" once its
 * SIGTERM handler is in place, and on SIGTERM "ROLE pid=N: TERM, cleaning up", then exits 0.
 *
 *   main       waits for SIGTERM, then for its worker; exits 0
 *   worker     a child of main, in main's process group
 *   escaped    daemonized the classic way (fork, setsid, fork): its own session and group,
 *              its parent is PID 1
 *
 * usage: workers [MODE [N]]
 *   clean (default)  as above
 *   stubborn         the escaped worker ignores SIGTERM ("ready escaped ... ignoring TERM")
 *   zombies N        main also forks N children that exit at once and never waits for them:
 *                    they stay zombies (state Z) while main runs ("ready zombies N")
 *   orphans N        main also forks a child that forks N grandchildren and exits: they become
 *                    orphans, exit 100 ms later and PID 1 has to reap them ("ready orphans N")
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *role = "main";

/* one write per line, so that the lines of different processes never interleave */
static void say(const char *fmt, ...) {
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int) sizeof line - 2) n = sizeof line - 2;
    line[n++] = '\n';
    if (write(1, line, n) < 0) _exit(3);
}

static void ready(const char *extra) {
    say("ready %s pid=%d ppid=%d pgid=%d sid=%d%s", role, getpid(), getppid(), getpgid(0), getsid(0), extra);
}

static void on_term(int sig) {
    (void) sig;
    say("%s pid=%d: TERM, cleaning up", role, getpid());
    _exit(0);
}

static sigset_t unblocked; /* the mask main started with: its children get it back */
static volatile sig_atomic_t main_term;
static void on_main_term(int sig) {
    (void) sig;
    main_term = 1;
}

static void handle(int sig, void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) _exit(4);
}

static void idle(void) {
    for (;;) pause();
}

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {}
}

/* fork, setsid, fork: the grandchild lives on in a session of its own, inherited by PID 1 */
static void daemonize_escaped(int stubborn) {
    pid_t first = fork();
    if (first < 0) _exit(5);
    if (first > 0) {
        waitpid(first, NULL, 0);
        return;
    }
    sigprocmask(SIG_SETMASK, &unblocked, NULL);
    setsid();
    pid_t intermediate = getpid();
    pid_t second = fork();
    if (second != 0) _exit(second < 0 ? 5 : 0);
    role = "escaped";
    while (getppid() == intermediate) nap(1); /* until PID 1 has inherited it */
    if (stubborn) {
        signal(SIGTERM, SIG_IGN);
        ready(" ignoring TERM");
    } else {
        handle(SIGTERM, on_term);
        ready("");
    }
    idle();
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "clean";
    int n = argc > 2 ? atoi(argv[2]) : 0;
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &unblocked); /* main takes TERM in sigsuspend below */
    handle(SIGTERM, on_main_term);

    pid_t worker = fork();
    if (worker < 0) return 5;
    if (worker == 0) {
        role = "worker";
        handle(SIGTERM, on_term);
        sigprocmask(SIG_SETMASK, &unblocked, NULL);
        ready("");
        idle();
    }
    daemonize_escaped(strcmp(mode, "stubborn") == 0);
    if (strcmp(mode, "zombies") == 0) {
        for (int i = 0; i < n; i++) {
            pid_t z = fork();
            if (z == 0) _exit(0);
        }
        say("ready zombies %d", n);
    } else if (strcmp(mode, "orphans") == 0) {
        pid_t parent = fork();
        if (parent == 0) {
            for (int i = 0; i < n; i++) {
                if (fork() == 0) {
                    nap(100);
                    _exit(0);
                }
            }
            _exit(0);
        }
        waitpid(parent, NULL, 0);
        say("ready orphans %d", n);
    }
    ready("");
    while (!main_term) sigsuspend(&unblocked);
    say("main pid=%d: TERM, waiting for the worker", getpid());
    waitpid(worker, NULL, 0);
    say("main: worker stopped, exiting 0");
    return 0;
}
