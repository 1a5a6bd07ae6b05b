/* java.io.FileInputStream. New in JDK 25: isRegularFile0 (decides whether available() and skip() may use the file's size). */
#include "java_io_FileInputStream.h"
#include <java.base/share/native/libjava/FileInputStream.c>

#include <sys/stat.h>

JNIEXPORT jboolean JNICALL
Java_java_io_FileInputStream_isRegularFile0(JNIEnv *env, jobject this, jobject fdo) {
    struct stat st;
    jint fd = (*env)->GetIntField(env, fdo, IO_fd_fdID);
    return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? JNI_TRUE : JNI_FALSE;
}
