/*
 * Relay-latency driver.
 *
 *   relay_driver COUNT GAP_US FIFO TIMEOUT_MS SAMPLES_FILE|- -- COMMAND...
 *
 * Creates FIFO, starts COMMAND (e.g. `tini -s -- latency_child FIFO`, or latency_child alone for
 * the bare baseline), waits for the child's "ready", then COUNT times: sleeps GAP_US plus up to
 * GAP_US/2 of jitter (so signals never coalesce: the next is only sent after the previous one
 * arrived or timed out), reads CLOCK_MONOTONIC, kill(COMMAND's pid, SIGUSR1), and waits up to
 * TIMEOUT_MS for the timestamp the child's handler wrote on entry. The difference is one sample.
 * Then SIGTERM to COMMAND and wait for it (SIGKILL after 20 s). Prints one line:
 *
 *   n=.. lost=.. late=.. p50_us=.. p99_us=.. max_us=.. mean_us=.. exit=..
 *
 * lost: no timestamp within TIMEOUT_MS; late: a timestamp that arrived after its timeout.
 * The run stops early, with "aborted=REASON" on the line, if COMMAND exits before the SIGTERM or
 * 20 signals in a row are lost. At the end the child (its pid came with "ready") is SIGKILLed if it
 * outlived COMMAND.
 * If the child never reports ready (within 60 s), it prints "error=notready" instead.
 * If SAMPLES_FILE is not "-", every sample is written to it, in nanoseconds, one per line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

/* waits up to timeout_ms for 8 bytes; 1 = got, 0 = timeout, -1 = EOF/error */
static int read8(int fd, int64_t *v, int timeout_ms) {
    size_t got = 0;
    int64_t end = now() + (int64_t) timeout_ms * 1000000;
    while (got < sizeof *v) {
        int left = (int) ((end - now()) / 1000000);
        if (left < 0) left = 0;
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, got ? 1000 : left);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) {
            if (!got) return 0;
            return -1;
        }
        ssize_t k = read(fd, (char *) v + got, sizeof *v - got);
        if (k > 0) got += (size_t) k;
        else if (k == 0) return -1;
        else if (errno != EAGAIN && errno != EINTR) return -1;
    }
    return 1;
}

static double pct(const int64_t *s, int n, double p) {
    if (n == 0) return -1;
    int i = (int) (p * n + 0.999999) - 1; /* nearest-rank */
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return s[i] / 1000.0;
}

int main(int argc, char **argv) {
    if (argc < 8 || strcmp(argv[6], "--") != 0) {
        fprintf(stderr, "usage: relay_driver COUNT GAP_US FIFO TIMEOUT_MS SAMPLES_FILE|- -- COMMAND...\n");
        return 2;
    }
    int count = atoi(argv[1]);
    int gap_us = atoi(argv[2]);
    const char *fifo = argv[3];
    int timeout_ms = atoi(argv[4]);
    const char *samples = argv[5];
    char **cmd = argv + 7;

    unlink(fifo);
    if (mkfifo(fifo, 0600) < 0) {
        perror("mkfifo");
        return 1;
    }
    /* O_NONBLOCK: does not wait for the writer; no POLLHUP before the first writer opens */
    int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        perror("open fifo");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        execvp(cmd[0], cmd);
        perror("exec");
        _exit(127);
    }
    int64_t v;
    int r = read8(fd, &v, 60000);
    if (r != 1) {
        fprintf(stderr, "relay_driver: the child never became ready\n");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        printf("error=notready\n");
        return 1;
    }
    pid_t child = v < 0 ? (pid_t) -v : 0;
    pid_t target = pid;
    int64_t *lat = calloc((size_t) count, sizeof *lat);
    int n = 0, lost = 0, late = 0, run_lost = 0, st = 0, exited = 0;
    const char *aborted = NULL;
    srand((unsigned) getpid());
    for (int i = 0; i < count; i++) {
        struct timespec gap = {0, (long) (gap_us + rand() % (gap_us / 2 + 1)) * 1000};
        nanosleep(&gap, NULL);
        /* drain what arrived after its timeout */
        while (read8(fd, &v, 0) == 1) late++;
        int64_t t0 = now();
        if (kill(target, SIGUSR1) < 0) {
            perror("relay_driver: kill");
            break;
        }
        r = read8(fd, &v, timeout_ms);
        if (r == 1) {
            lat[n++] = v - t0;
            run_lost = 0;
        } else if (r == 0) {
            lost++;
            /* a dead init is still a zombie child of ours: kill() succeeds, nothing is relayed */
            if (waitpid(pid, &st, WNOHANG) == pid) {
                exited = 1;
                fprintf(stderr, "relay_driver: the command exited after %d signals, before SIGTERM\n", i + 1);
                aborted = "exited";
                break;
            }
            if (++run_lost >= 20) {
                fprintf(stderr, "relay_driver: 20 signals in a row lost, giving up after %d\n", i + 1);
                aborted = "lost";
                break;
            }
        } else {
            fprintf(stderr, "relay_driver: the child's pipe closed after %d signals\n", i);
            lost += count - i;
            break;
        }
    }
    if (!exited) kill(target, SIGTERM);
    for (int i = 0; i < 2000 && !exited; i++) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) {
            exited = 1;
            break;
        }
        usleep(10000);
    }
    if (!exited) {
        fprintf(stderr, "relay_driver: command did not exit within 20 s of SIGTERM; killed\n");
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    if (child > 0 && kill(child, 0) == 0) {
        usleep(200000);
        if (kill(child, SIGKILL) == 0) fprintf(stderr, "relay_driver: the child outlived the command; killed\n");
    }
    if (strcmp(samples, "-") != 0) {
        FILE *f = fopen(samples, "w");
        if (!f) {
            perror("relay_driver: samples file");
            return 1;
        }
        for (int i = 0; i < n; i++) fprintf(f, "%lld\n", (long long) lat[i]);
        fclose(f);
    }
    qsort(lat, (size_t) n, sizeof *lat, cmp64);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += lat[i];
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    printf("n=%d lost=%d late=%d p50_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f exit=%d%s%s%s\n", n, lost, late,
           pct(lat, n, 0.50), pct(lat, n, 0.99), n ? lat[n - 1] / 1000.0 : -1, n ? sum / n / 1000.0 : -1, code,
           exited ? "" : " killed=1", aborted ? " aborted=" : "", aborted ? aborted : "");
    unlink(fifo);
    return 0;
}
