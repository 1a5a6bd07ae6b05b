/*
 * The small C helpers GraalVM's native image (svm 25) declares with @CFunction in library
 * "libchelper" (LibCHelper, LinuxLibCHelper, and the varargs helpers) apart from the CPU
 * features (cpufeatures.c), the locale (locale.c) and the Java signal handlers (signals.c).
 * A GraalVM distribution ships them compiled; the svm jar on Maven Central does not, so the
 * builder set-up compiles these, written for jinit from the declarations in the svm jar.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

char **getEnviron(void) { return environ; }

int getThreadId(void) { return (int) syscall(SYS_gettid); }

/* user CPU time of a thread of this process in ns, from /proc (utime, field 14 of stat) */
long getThreadUserTimeSlow(int tid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');       /* the command name may hold spaces and parentheses */
    if (p == NULL) return -1;
    unsigned long utime = 0;
    /* after ") ": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu", &utime) != 1) return -1;
    long ticks = sysconf(_SC_CLK_TCK);
    return ticks > 0 ? (long) (utime * (1000000000UL / (unsigned long) ticks)) : -1;
}

/* svm calls variadic C functions through these fixed-signature helpers */
int fprintfSD(FILE *stream, const char *format, char *arg0, int arg1) { return fprintf(stream, format, arg0, arg1); }
int openSII(const char *path, int flags, int mode) { return open(path, flags, mode); }
int openatISII(int dirfd, const char *path, int flags, int mode) { return openat(dirfd, path, flags, mode); }
void *mremapP(void *old, size_t oldSize, size_t newSize, int flags, void *newAddress) {
    return mremap(old, oldSize, newSize, flags, newAddress);
}

/*
 * The platform's time zone id (what java.util.TimeZone's default is), as the JDK finds it on
 * Linux: $TZ, else /etc/timezone, else the zoneinfo name /etc/localtime links to. NULL when
 * there is none (svm then uses GMT). The result is malloc'ed; svm frees it.
 */
static char *zone_from_path(const char *path) {
    const char *z = strstr(path, "zoneinfo/");
    return z != NULL ? strdup(z + strlen("zoneinfo/")) : NULL;
}

char *SVM_FindJavaTZmd(const char *tzmappings, int length) {
    (void) tzmappings; (void) length;   /* the mapping table is Windows' */
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        if (*tz == ':') tz++;
        if (*tz == '/') return zone_from_path(tz);
        return strdup(tz);
    }
    FILE *f = fopen("/etc/timezone", "re");
    if (f != NULL) {
        char line[256];
        char *r = fgets(line, sizeof line, f);
        fclose(f);
        if (r != NULL) {
            line[strcspn(line, " \t\n")] = '\0';
            if (line[0] != '\0') return strdup(line);
        }
    }
    char target[PATH_MAX];
    ssize_t n = readlink("/etc/localtime", target, sizeof target - 1);
    if (n > 0) {
        target[n] = '\0';
        return zone_from_path(target);
    }
    return NULL;
}
