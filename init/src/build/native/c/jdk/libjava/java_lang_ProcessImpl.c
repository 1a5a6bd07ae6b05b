/*
 * java.lang.ProcessImpl: only its class initializer's native. svm reaches the class, but a
 * native jinit never starts a process through ProcessBuilder (waitpid(-1) would steal the JDK's
 * statuses, and JDK 25 would need its jspawnhelper executable): forkAndExec is left out, so
 * an image that does reach it fails to link instead of failing at run time.
 */
#include "java_lang_ProcessImpl.h"

JNIEXPORT void JNICALL Java_java_lang_ProcessImpl_init(JNIEnv *env, jclass clazz) { (void) env; (void) clazz; }
