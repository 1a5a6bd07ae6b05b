/*
 * File channel I/O. JDK 25 split JDK 17's sun.nio.ch.FileDispatcherImpl in three: reads,
 * writes, sizes and locks went to UnixFileDispatcherImpl, closing to UnixDispatcher (shared
 * with sockets), what stays is Linux's transferTo/From. The renames below move JDK 17's code to
 * the new names unchanged. New in JDK 25: UnixFileDispatcherImpl.available0 and isOther0, and
 * FileDispatcherImpl.init0, which finds what transferTo/From use: those are not built (an image
 * reaching them fails to link), so init0 has nothing to do.
 */
#include "sun_nio_ch_UnixFileDispatcherImpl.h"
#include "sun_nio_ch_UnixDispatcher.h"
#include "sun_nio_ch_FileDispatcherImpl.h"
#define Java_sun_nio_ch_FileDispatcherImpl_read0 Java_sun_nio_ch_UnixFileDispatcherImpl_read0
#define Java_sun_nio_ch_FileDispatcherImpl_pread0 Java_sun_nio_ch_UnixFileDispatcherImpl_pread0
#define Java_sun_nio_ch_FileDispatcherImpl_readv0 Java_sun_nio_ch_UnixFileDispatcherImpl_readv0
#define Java_sun_nio_ch_FileDispatcherImpl_write0 Java_sun_nio_ch_UnixFileDispatcherImpl_write0
#define Java_sun_nio_ch_FileDispatcherImpl_pwrite0 Java_sun_nio_ch_UnixFileDispatcherImpl_pwrite0
#define Java_sun_nio_ch_FileDispatcherImpl_writev0 Java_sun_nio_ch_UnixFileDispatcherImpl_writev0
#define Java_sun_nio_ch_FileDispatcherImpl_seek0 Java_sun_nio_ch_UnixFileDispatcherImpl_seek0
#define Java_sun_nio_ch_FileDispatcherImpl_force0 Java_sun_nio_ch_UnixFileDispatcherImpl_force0
#define Java_sun_nio_ch_FileDispatcherImpl_truncate0 Java_sun_nio_ch_UnixFileDispatcherImpl_truncate0
#define Java_sun_nio_ch_FileDispatcherImpl_size0 Java_sun_nio_ch_UnixFileDispatcherImpl_size0
#define Java_sun_nio_ch_FileDispatcherImpl_lock0 Java_sun_nio_ch_UnixFileDispatcherImpl_lock0
#define Java_sun_nio_ch_FileDispatcherImpl_release0 Java_sun_nio_ch_UnixFileDispatcherImpl_release0
#define Java_sun_nio_ch_FileDispatcherImpl_closeIntFD Java_sun_nio_ch_UnixFileDispatcherImpl_closeIntFD
#define Java_sun_nio_ch_FileDispatcherImpl_setDirect0 Java_sun_nio_ch_UnixFileDispatcherImpl_setDirect0
#define Java_sun_nio_ch_FileDispatcherImpl_close0 Java_sun_nio_ch_UnixDispatcher_close0
#define Java_sun_nio_ch_FileDispatcherImpl_preClose0 Java_sun_nio_ch_UnixDispatcher_preClose0
#define Java_sun_nio_ch_FileDispatcherImpl_init Java_sun_nio_ch_UnixDispatcher_init
#include <java.base/unix/native/libnio/ch/FileDispatcherImpl.c>

#include <sys/ioctl.h>

/* bytes that can be read without blocking: FIONREAD for pipes, sockets and devices, else what is left of the file */
JNIEXPORT jint JNICALL
Java_sun_nio_ch_UnixFileDispatcherImpl_available0(JNIEnv *env, jclass clazz, jobject fdo) {
    jint fd = fdval(env, fdo);
    struct stat st;
    if (fstat(fd, &st) == -1) return (jint) handle(env, -1, "available failed");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
        int n;
        if (ioctl(fd, FIONREAD, &n) >= 0) return n;
    }
    off_t position = lseek(fd, 0, SEEK_CUR);
    if (position == -1) return (jint) handle(env, -1, "available failed");
    if (!S_ISREG(st.st_mode) || st.st_size <= position) return 0;
    jlong left = (jlong) st.st_size - position;
    return left > 0x7fffffff ? 0x7fffffff : (jint) left;
}

/* true for anything that is not a regular file, a directory or a symbolic link */
JNIEXPORT jboolean JNICALL
Java_sun_nio_ch_UnixFileDispatcherImpl_isOther0(JNIEnv *env, jclass clazz, jobject fdo) {
    struct stat st;
    if (fstat(fdval(env, fdo), &st) == -1) {
        handle(env, -1, "isOther failed");
        return JNI_FALSE;
    }
    return S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode) ? JNI_FALSE : JNI_TRUE;
}

JNIEXPORT void JNICALL Java_sun_nio_ch_FileDispatcherImpl_init0(JNIEnv *env, jclass clazz) {}
