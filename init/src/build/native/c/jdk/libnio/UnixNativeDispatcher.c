/*
 * sun.nio.fs.UnixNativeDispatcher: the system calls behind java.nio.file on Linux.
 * Changed in JDK 25:
 * - renamed: fstat, fchmod, fchown, futimens, read, write, readdir gained a 0;
 * - stat0 and access0 return the errno (0 on success) instead of throwing UnixException;
 * - new: utimensat0 (Files.setLastModifiedTime);
 * - the capabilities SUPPORTS_FUTIMES, SUPPORTS_LUTIMES and SUPPORTS_FUTIMENS are gone (JDK 25
 *   calls futimens and lutimes without asking): defined as no bit here, so JDK 17's init
 *   returns only bits JDK 25 knows.
 * Changed for a static image: JDK 17 looks the *at calls and statx up with dlsym, which finds
 * nothing in a static executable; init sets them to the libc functions instead, so the image
 * behaves as a JVM does on glibc (openat-based directory streams, futimens, statx's birth time).
 */
#include <sys/syscall.h>
#include "sun_nio_fs_UnixNativeDispatcher.h"
#define sun_nio_fs_UnixNativeDispatcher_SUPPORTS_FUTIMES 0
#define sun_nio_fs_UnixNativeDispatcher_SUPPORTS_LUTIMES 0
#define sun_nio_fs_UnixNativeDispatcher_SUPPORTS_FUTIMENS 0
#define Java_sun_nio_fs_UnixNativeDispatcher_fstat Java_sun_nio_fs_UnixNativeDispatcher_fstat0
#define Java_sun_nio_fs_UnixNativeDispatcher_fchmod Java_sun_nio_fs_UnixNativeDispatcher_fchmod0
#define Java_sun_nio_fs_UnixNativeDispatcher_fchown Java_sun_nio_fs_UnixNativeDispatcher_fchown0
#define Java_sun_nio_fs_UnixNativeDispatcher_futimens Java_sun_nio_fs_UnixNativeDispatcher_futimens0
#define Java_sun_nio_fs_UnixNativeDispatcher_read Java_sun_nio_fs_UnixNativeDispatcher_read0
#define Java_sun_nio_fs_UnixNativeDispatcher_write Java_sun_nio_fs_UnixNativeDispatcher_write0
#define Java_sun_nio_fs_UnixNativeDispatcher_readdir Java_sun_nio_fs_UnixNativeDispatcher_readdir0
#define Java_sun_nio_fs_UnixNativeDispatcher_stat0 jdk17_stat0
#define Java_sun_nio_fs_UnixNativeDispatcher_access0 jdk17_access0
#define Java_sun_nio_fs_UnixNativeDispatcher_init jdk17_init
#include <java.base/unix/native/libnio/fs/UnixNativeDispatcher.c>
#undef Java_sun_nio_fs_UnixNativeDispatcher_stat0
#undef Java_sun_nio_fs_UnixNativeDispatcher_access0
#undef Java_sun_nio_fs_UnixNativeDispatcher_init

/* statx(2) (musl 1.2.3 has no wrapper); a kernel without it (before 4.11) answers as the
   container runtimes that refuse it do, EPERM, on which JDK 17's code falls back to stat */
static int statx_syscall(int dirfd, const char *restrict path, int flags, unsigned int mask, struct my_statx *restrict buf) {
    int r = (int) syscall(SYS_statx, dirfd, path, flags, mask, buf);
    if (r == -1 && errno == ENOSYS) errno = EPERM;
    return r;
}

JNIEXPORT jint JNICALL Java_sun_nio_fs_UnixNativeDispatcher_init(JNIEnv *env, jclass this) {
    jint capabilities = jdk17_init(env, this);         /* field ids, then what dlsym found */
    if ((*env)->ExceptionCheck(env)) return capabilities;
    my_openat64_func = (openat64_func *) openat;
    my_fstatat64_func = (fstatat64_func *) fstatat;
    my_unlinkat_func = unlinkat;
    my_renameat_func = renameat;
    my_futimesat_func = futimesat;
    my_futimens_func = futimens;
    my_lutimes_func = lutimes;
    my_fdopendir_func = fdopendir;
    my_statx_func = statx_syscall;
    return capabilities | sun_nio_fs_UnixNativeDispatcher_SUPPORTS_OPENAT | sun_nio_fs_UnixNativeDispatcher_SUPPORTS_BIRTHTIME;
}

JNIEXPORT jint JNICALL
Java_sun_nio_fs_UnixNativeDispatcher_stat0(JNIEnv *env, jclass this, jlong pathAddress, jobject attrs) {
    const char *path = (const char *) jlong_to_ptr(pathAddress);
    int err;
    struct my_statx sx;
    RESTARTABLE(statx_wrapper(AT_FDCWD, path, AT_STATX_SYNC_AS_STAT, LOCAL_STATX_ALL, &sx), err);
    if (err == 0) {
        copy_statx_attributes(env, &sx, attrs);
        return 0;
    }
    if (errno != EPERM) return errno;

    struct stat64 buf;
    RESTARTABLE(stat64(path, &buf), err);
    if (err == -1) return errno;
    copy_stat64_attributes(env, &buf, attrs);
    return 0;
}

JNIEXPORT jint JNICALL
Java_sun_nio_fs_UnixNativeDispatcher_access0(JNIEnv *env, jclass this, jlong pathAddress, jint amode) {
    int err;
    RESTARTABLE(access((const char *) jlong_to_ptr(pathAddress), (int) amode), err);
    return err == -1 ? errno : 0;
}

/* times in nanoseconds since the epoch, as futimens0's */
JNIEXPORT void JNICALL
Java_sun_nio_fs_UnixNativeDispatcher_utimensat0(JNIEnv *env, jclass this, jint fd, jlong pathAddress,
                                                jlong accessTime, jlong modificationTime, jint flags) {
    struct timespec times[2] = {
        { accessTime / 1000000000, accessTime % 1000000000 },
        { modificationTime / 1000000000, modificationTime % 1000000000 },
    };
    int err;
    RESTARTABLE(utimensat((int) fd, (const char *) jlong_to_ptr(pathAddress), times, (int) flags), err);
    if (err == -1) throwUnixException(env, errno);
}
