/*
 * JNI_OnLoad_zip. JDK 17 defines it in zip_util.c, the JVM's own reader of jar files, which an
 * image does not need (svm reads no jar at run time): the entry point alone.
 */
#include <jni.h>

JNIEXPORT jint JNICALL JNI_OnLoad_zip(JavaVM *vm, void *reserved) { return JNI_VERSION_1_8; }
