/*
 * sun.nio.ch.SocketDispatcher. New in JDK 25: write0 and writev0 (JDK 17 wrote to sockets
 * through FileDispatcherImpl); like read0, a reset connection is a ConnectionResetException.
 */
#include "sun_nio_ch_SocketDispatcher.h"
#include <java.base/unix/native/libnio/ch/SocketDispatcher.c>

JNIEXPORT jint JNICALL
Java_sun_nio_ch_SocketDispatcher_write0(JNIEnv *env, jclass clazz, jobject fdo, jlong address, jint len) {
    jint n = write(fdval(env, fdo), jlong_to_ptr(address), len);
    if (n == -1 && (errno == ECONNRESET || errno == EPIPE)) {
        JNU_ThrowByName(env, "sun/net/ConnectionResetException", "Connection reset");
        return IOS_THROWN;
    }
    return convertReturnVal(env, n, JNI_FALSE);
}

JNIEXPORT jlong JNICALL
Java_sun_nio_ch_SocketDispatcher_writev0(JNIEnv *env, jclass clazz, jobject fdo, jlong address, jint len) {
    jlong n = writev(fdval(env, fdo), jlong_to_ptr(address), len);
    if (n == -1 && (errno == ECONNRESET || errno == EPIPE)) {
        JNU_ThrowByName(env, "sun/net/ConnectionResetException", "Connection reset");
        return IOS_THROWN;
    }
    return convertLongReturnVal(env, n, JNI_FALSE);
}
