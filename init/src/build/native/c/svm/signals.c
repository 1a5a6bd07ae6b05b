/*
 * The C side of Java signal handlers in a native image (svm's CSunMiscSignal, used by
 * jdk.internal.misc.Signal / sun.misc.Signal): the handler runs on whatever thread the kernel
 * picked, without a Java thread context, so it only counts the signal and posts a semaphore;
 * svm's dispatcher thread waits on the semaphore and takes the counts one at a time. Counting
 * (not a flag) keeps every delivered signal, as HotSpot's dispatcher does.
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>

static volatile long pending[NSIG];
static sem_t semaphore;
static volatile int owner;                 /* 1 while an isolate uses the mechanism */

static void handler(int signal) {
    int saved = errno;                     /* a handler must leave errno as it found it */
    if (signal > 0 && signal < NSIG) {
        __atomic_add_fetch(&pending[signal], 1, __ATOMIC_SEQ_CST);
        sem_post(&semaphore);              /* async-signal-safe */
    }
    errno = saved;
}

/* 0 when this isolate now owns the signal mechanism, 1 when another one does, -1 on error */
int cSunMiscSignal_open(void) {
    int expected = 0;
    if (!__atomic_compare_exchange_n(&owner, &expected, 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return 1;
    for (int i = 0; i < NSIG; i++) pending[i] = 0;
    return sem_init(&semaphore, 0, 0) == 0 ? 0 : -1;
}

int cSunMiscSignal_close(void) {
    if (sem_destroy(&semaphore) != 0) return -1;
    __atomic_store_n(&owner, 0, __ATOMIC_SEQ_CST);
    return 0;
}

int cSunMiscSignal_awaitSemaphore(void) {
    int r = sem_wait(&semaphore);
    return r == -1 && errno == EINTR ? 0 : r;   /* an interruption is a wake-up like any other */
}

int cSunMiscSignal_signalSemaphore(void) { return sem_post(&semaphore); }

bool cSunMiscSignal_signalRangeCheck(int signal) { return signal > 0 && signal < NSIG; }

/* the lowest signal with a pending count, taking one from it; -1 when none (dispatcher thread only) */
int cSunMiscSignal_checkPendingSignal(void) {
    for (int i = 1; i < NSIG; i++) {
        if (__atomic_load_n(&pending[i], __ATOMIC_SEQ_CST) > 0) {
            __atomic_sub_fetch(&pending[i], 1, __ATOMIC_SEQ_CST);
            return i;
        }
    }
    return -1;
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) { return (void *) handler; }
