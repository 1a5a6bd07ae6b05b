/*
 * Host names and network interfaces: reachable in the image (the analysis follows every path
 * of java.net), never used by jinit, whose only sockets are UNIX-domain ones. JDK 17's versions
 * depend on a field JDK 25 removed (InetAddress.preferIPv6Address) and JDK 25 changed their
 * signatures, so instead of code that would misbehave these fail at once, with the reason.
 */
#include <jni.h>

#include "jni_util.h"
#include "java_net_Inet4AddressImpl.h"
#include "java_net_Inet6AddressImpl.h"
#include "java_net_NetworkInterface.h"

#define UNSUPPORTED "not supported in jinit's native image (it uses UNIX-domain sockets only)"

JNIEXPORT jstring JNICALL Java_java_net_Inet4AddressImpl_getLocalHostName(JNIEnv *env, jobject this) {
    JNU_ThrowByName(env, "java/net/UnknownHostException", "host name lookup " UNSUPPORTED);
    return NULL;
}

JNIEXPORT jobjectArray JNICALL Java_java_net_Inet4AddressImpl_lookupAllHostAddr(JNIEnv *env, jobject this, jstring host) {
    JNU_ThrowByName(env, "java/net/UnknownHostException", "host name lookup " UNSUPPORTED);
    return NULL;
}

JNIEXPORT jstring JNICALL Java_java_net_Inet6AddressImpl_getLocalHostName(JNIEnv *env, jobject this) {
    JNU_ThrowByName(env, "java/net/UnknownHostException", "host name lookup " UNSUPPORTED);
    return NULL;
}

JNIEXPORT jobjectArray JNICALL
Java_java_net_Inet6AddressImpl_lookupAllHostAddr(JNIEnv *env, jobject this, jstring host, jint characteristics) {
    JNU_ThrowByName(env, "java/net/UnknownHostException", "host name lookup " UNSUPPORTED);
    return NULL;
}

/* the class initializer's: nothing to prepare, as no query below succeeds */
JNIEXPORT void JNICALL Java_java_net_NetworkInterface_init(JNIEnv *env, jclass cls) {}

JNIEXPORT jobject JNICALL Java_java_net_NetworkInterface_getByName0(JNIEnv *env, jclass cls, jstring name) {
    JNU_ThrowByName(env, "java/net/SocketException", "network interfaces " UNSUPPORTED);
    return NULL;
}

JNIEXPORT jboolean JNICALL Java_java_net_NetworkInterface_boundInetAddress0(JNIEnv *env, jclass cls, jobject addr) {
    JNU_ThrowByName(env, "java/net/SocketException", "network interfaces " UNSUPPORTED);
    return JNI_FALSE;
}
