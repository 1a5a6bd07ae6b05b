/* sun.nio.ch.IOUtil. New in JDK 25: writevMax, the most bytes one writev call may be given. */
#include "sun_nio_ch_IOUtil.h"
#include <java.base/unix/native/libnio/ch/IOUtil.c>

/* the sum of the iov_len values must fit in a 32-bit int (EINVAL otherwise): JDK 25's answer on Linux */
JNIEXPORT jlong JNICALL Java_sun_nio_ch_IOUtil_writevMax(JNIEnv *env, jclass clazz) { return 0x7fffffff; }
