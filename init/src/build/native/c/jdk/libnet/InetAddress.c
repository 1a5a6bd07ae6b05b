/*
 * java.net.InetAddress: the field ids every socket native uses (sun.nio.ch.Net initialises
 * them in its class initializer, UNIX-domain channels included). Changed in JDK 25: the static
 * field preferIPv6Address is gone (JDK 17's init fails with NoSuchFieldError); its only users
 * are JDK 17's host name lookups, not built here. New: isIPv4Available and isIPv6Supported.
 */
#include "java_net_InetAddress.h"
#define Java_java_net_InetAddress_init jdk17_InetAddress_init
#include <java.base/share/native/libnet/InetAddress.c>
#undef Java_java_net_InetAddress_init

JNIEXPORT void JNICALL Java_java_net_InetAddress_init(JNIEnv *env, jclass cls) {
    if (ia_initialized) return;
    jclass c = (*env)->FindClass(env, "java/net/InetAddress");
    CHECK_NULL(c);
    ia_class = (*env)->NewGlobalRef(env, c);
    CHECK_NULL(ia_class);
    c = (*env)->FindClass(env, "java/net/InetAddress$InetAddressHolder");
    CHECK_NULL(c);
    iac_class = (*env)->NewGlobalRef(env, c);
    CHECK_NULL(iac_class);
    ia_holderID = (*env)->GetFieldID(env, ia_class, "holder", "Ljava/net/InetAddress$InetAddressHolder;");
    CHECK_NULL(ia_holderID);
    iac_addressID = (*env)->GetFieldID(env, iac_class, "address", "I");
    CHECK_NULL(iac_addressID);
    iac_familyID = (*env)->GetFieldID(env, iac_class, "family", "I");
    CHECK_NULL(iac_familyID);
    iac_hostNameID = (*env)->GetFieldID(env, iac_class, "hostName", "Ljava/lang/String;");
    CHECK_NULL(iac_hostNameID);
    iac_origHostNameID = (*env)->GetFieldID(env, iac_class, "originalHostName", "Ljava/lang/String;");
    CHECK_NULL(iac_origHostNameID);
    ia_initialized = 1;
}

JNIEXPORT jboolean JNICALL Java_java_net_InetAddress_isIPv4Available(JNIEnv *env, jclass clazz) {
    return ipv4_available() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL Java_java_net_InetAddress_isIPv6Supported(JNIEnv *env, jclass clazz) {
    return ipv6_available() ? JNI_TRUE : JNI_FALSE;
}
