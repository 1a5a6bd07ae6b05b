/*
 * libjvm.a of the builder: the JVM_* and jio_* functions the JDK's C code calls into "the VM"
 * (HotSpot's jvm.h), and svm's own Jvm class (library "jvm"). In a native image there is no
 * HotSpot: these answer from libc, the way HotSpot does on Linux. Written for jinit; which ones
 * exist is decided by the link: a JDK native calling one missing here fails the image build.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jni.h>

JNIEXPORT void JNICALL initialize(void) {}

JNIEXPORT int JNICALL JVM_GetInterfaceVersion(void) { return 6; }

/* the CPUs this process may run on (a cpuset or taskset narrows them), as HotSpot counts them */
JNIEXPORT int JNICALL JVM_ActiveProcessorCount(void) {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) return CPU_COUNT(&cpus);
    return (int) sysconf(_SC_NPROCESSORS_ONLN);
}

static jlong clock_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (jlong) t.tv_sec * 1000000000LL + t.tv_nsec;
}

JNIEXPORT jlong JNICALL JVM_NanoTime(JNIEnv *env, jclass ignored) { return clock_ns(CLOCK_MONOTONIC); }
JNIEXPORT jlong JNICALL JVM_CurrentTimeMillis(JNIEnv *env, jclass ignored) { return clock_ns(CLOCK_REALTIME) / 1000000; }

/* nanoseconds since offset_secs, or -1 when that is too far away (jdk.internal.misc.VM) */
JNIEXPORT jlong JNICALL JVM_GetNanoTimeAdjustment(JNIEnv *env, jclass ignored, jlong offset_secs) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    jlong diff = (jlong) t.tv_sec - offset_secs;
    if (diff >= 0x0100000000LL || diff <= -0x0100000000LL) return -1;
    return diff * 1000000000LL + t.tv_nsec;
}

/*
 * A static executable has no dynamic symbol table: dlsym cannot answer. The JDK's C code asks
 * for inet_pton (to decide whether IPv6 exists); that one is answered, anything else is NULL,
 * which the callers treat as "not available".
 */
JNIEXPORT void *JNICALL JVM_FindLibraryEntry(void *handle, const char *name) {
    (void) handle;
    if (strcmp(name, "inet_pton") == 0) return (void *) inet_pton;
    return NULL;
}

JNIEXPORT void JNICALL JVM_BeforeHalt(void) {}
JNIEXPORT void JNICALL JVM_Halt(jint code) { exit(code); }

JNIEXPORT jboolean JNICALL JVM_IsSupportedJNIVersion(jint version) {
    return version >= JNI_VERSION_1_1 && version <= JNI_VERSION_24 ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL JVM_IsStaticallyLinked(void) { return JNI_TRUE; }

JNIEXPORT int JNICALL JVM_GetLastErrorString(char *buf, int len) {
    if (errno == 0 || len <= 0) return 0;
    const char *s = strerror(errno);
    size_t n = strlen(s);
    if (n >= (size_t) len) n = (size_t) len - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return (int) n;
}

JNIEXPORT jstring JNICALL JVM_GetTemporaryDirectory(JNIEnv *env) { return (*env)->NewStringUTF(env, "/tmp"); }

/* HotSpot's jio_ printing: vsnprintf that always terminates and says -1 when it truncated */
JNIEXPORT int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
    if ((intptr_t) count <= 0) return -1;
    int n = vsnprintf(str, count, fmt, args);
    if (n < 0 || (size_t) n >= count) {
        str[count - 1] = '\0';
        return -1;
    }
    return n;
}

JNIEXPORT int jio_snprintf(char *str, size_t count, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = jio_vsnprintf(str, count, fmt, args);
    va_end(args);
    return n;
}

JNIEXPORT int jio_vfprintf(FILE *f, const char *fmt, va_list args) { return vfprintf(f, fmt, args); }

JNIEXPORT int jio_fprintf(FILE *f, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = vfprintf(f, fmt, args);
    va_end(args);
    return n;
}
