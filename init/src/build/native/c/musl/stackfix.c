/*
 * Linked into every jinit image (build-image.sh: -Wl,--wrap=pthread_getattr_np), whichever
 * builder made it. The image runs main on the process's first thread (-H:-RunMainInNewThread:
 * on a second thread, a signal blocked only there would still kill the process). svm takes that
 * thread's stack bounds from pthread_getattr_np, and musl reports only the part of the stack
 * mapped so far (about 128 KiB at start), not the RLIMIT_STACK the kernel lets it grow to:
 * Java code then hits StackOverflowError a few thousand frames deep. glibc reports the limit;
 * this wrapper does the same for the first thread, leaving a margin for the environment and
 * auxiliary vector above the stack, and leaves other threads alone.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int __real_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);

int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr) {
    int rc = __real_pthread_getattr_np(thread, attr);
    if (rc != 0 || !pthread_equal(thread, pthread_self()) || syscall(SYS_gettid) != getpid()) return rc;
    void *low;
    size_t size;
    if (pthread_attr_getstack(attr, &low, &size) != 0) return rc;
    struct rlimit limit;
    size_t want = 8u << 20;                        /* glibc's answer for an unlimited stack */
    if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) want = limit.rlim_cur;
    want -= 64u << 10;
    if (want > size) pthread_attr_setstack(attr, (char *) low + size - want, want);
    return rc;
}
