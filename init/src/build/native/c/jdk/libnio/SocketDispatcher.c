/*
 * sun.nio.ch.SocketDispatcher. New in JDK 25: write0 and writev0 (JDK 17 wrote to sockets
 * through FileDispatcherImpl): write(2) and writev(2), an error (EPIPE: "Broken pipe") as an
 * IOException, as JDK 17's file writes did.
 */
#include "sun_nio_ch_SocketDispatcher.h"
#include <java.base/unix/native/libnio/ch/SocketDispatcher.c>

JNIEXPORT jint JNICALL
Java_sun_nio_ch_SocketDispatcher_write0(JNIEnv *env, jclass clazz, jobject fdo, jlong address, jint len) {
    return convertReturnVal(env, write(fdval(env, fdo), jlong_to_ptr(address), len), JNI_FALSE);
}

JNIEXPORT jlong JNICALL
Java_sun_nio_ch_SocketDispatcher_writev0(JNIEnv *env, jclass clazz, jobject fdo, jlong address, jint len) {
    return convertLongReturnVal(env, writev(fdval(env, fdo), jlong_to_ptr(address), len), JNI_FALSE);
}
