/*
 * libreporterchelper.so, loaded by the image builder itself (a JVM, not the image): the
 * terminal width and the builder's peak RSS for its progress report (ProgressReporterCHelper).
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass c) {
    struct winsize w;
    return ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 ? w.ws_col : -1;
}

JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass c) {
    struct rusage r;
    return getrusage(RUSAGE_SELF, &r) == 0 ? (jlong) r.ru_maxrss * 1024 : -1;
}
