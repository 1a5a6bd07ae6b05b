/*
 * sun.nio.ch.Net (socket calls shared by every channel). New in JDK 25: discardOOB, which
 * reads and drops TCP urgent data before a read.
 */
#include "sun_nio_ch_Net.h"
#include <java.base/unix/native/libnio/ch/Net.c>

JNIEXPORT jboolean JNICALL Java_sun_nio_ch_Net_discardOOB(JNIEnv *env, jclass clazz, jobject fdo) {
    char buf[8];
    jboolean discarded = JNI_FALSE;
    for (;;) {
        ssize_t n = recv(fdval(env, fdo), buf, sizeof buf, MSG_OOB);
        if (n > 0) discarded = JNI_TRUE;
        else if (!(n == -1 && errno == EINTR)) return discarded;
    }
}
