/*
 * The JNU_ helpers every JDK native uses (exceptions, strings). Changed for the image: the
 * conversion between Java strings and the platform's C strings (file names, environment,
 * error messages). JDK 17's versions are set up by InitializeEncoding, which svm does call,
 * but then look up String methods through JNI that only JDK 17 uses and svm (registering what
 * JDK 25's C code uses) does not register: NoSuchMethodError at the first file name. These
 * convert UTF-16 <-> UTF-8 directly: real UTF-8, not JNI's modified UTF-8 (characters outside
 * the BMP are 4 bytes, a lone surrogate becomes '?', an invalid input byte U+FFFD); musl's only
 * multibyte encoding is UTF-8. JDK 17's throw helpers that build messages through the
 * platform strings are renamed out of the way too, with everything in JDK 17's file that
 * calls them, and written again below.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jni.h>

#define InitializeEncoding jdk17_InitializeEncoding
#define JNU_NewStringPlatform jdk17_JNU_NewStringPlatform
#define GetStringPlatformChars jdk17_GetStringPlatformChars
#define JNU_GetStringPlatformChars jdk17_JNU_GetStringPlatformChars
#define JNU_ReleaseStringPlatformChars jdk17_JNU_ReleaseStringPlatformChars
#define JNU_ThrowByNameWithLastError jdk17_JNU_ThrowByNameWithLastError
#define JNU_ThrowByNameWithMessageAndLastError jdk17_JNU_ThrowByNameWithMessageAndLastError
#define JNU_ThrowIOExceptionWithLastError jdk17_JNU_ThrowIOExceptionWithLastError
#define JNU_ThrowIOExceptionWithMessageAndLastError jdk17_JNU_ThrowIOExceptionWithMessageAndLastError
#include <java.base/share/native/libjava/jni_util.c>
#undef InitializeEncoding
#undef JNU_NewStringPlatform
#undef GetStringPlatformChars
#undef JNU_GetStringPlatformChars
#undef JNU_ReleaseStringPlatformChars
#undef JNU_ThrowByNameWithLastError
#undef JNU_ThrowByNameWithMessageAndLastError
#undef JNU_ThrowIOExceptionWithLastError
#undef JNU_ThrowIOExceptionWithMessageAndLastError

JNIEXPORT void InitializeEncoding(JNIEnv *env, const char *name) { (void) env; (void) name; }

JNIEXPORT const char *JNICALL
JNU_GetStringPlatformChars(JNIEnv *env, jstring jstr, jboolean *isCopy) {
    jsize len = (*env)->GetStringLength(env, jstr);
    jchar *utf16 = malloc(((size_t) len + 1) * sizeof(jchar));
    char *out = malloc((size_t) len * 3 + 1);          /* a UTF-16 unit is at most 3 bytes */
    if (utf16 == NULL || out == NULL) {
        free(utf16);
        free(out);
        JNU_ThrowOutOfMemoryError(env, NULL);
        return NULL;
    }
    (*env)->GetStringRegion(env, jstr, 0, len, utf16);
    size_t n = 0;
    for (jsize i = 0; i < len; i++) {
        unsigned c = utf16[i];
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && utf16[i + 1] >= 0xdc00 && utf16[i + 1] <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (utf16[++i] - 0xdc00);
        } else if (c >= 0xd800 && c <= 0xdfff) {
            c = '?';                                   /* a lone surrogate has no UTF-8 form */
        }
        if (c < 0x80) {
            out[n++] = (char) c;
        } else if (c < 0x800) {
            out[n++] = (char) (0xc0 | c >> 6);
            out[n++] = (char) (0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out[n++] = (char) (0xe0 | c >> 12);
            out[n++] = (char) (0x80 | ((c >> 6) & 0x3f));
            out[n++] = (char) (0x80 | (c & 0x3f));
        } else {
            out[n++] = (char) (0xf0 | c >> 18);
            out[n++] = (char) (0x80 | ((c >> 12) & 0x3f));
            out[n++] = (char) (0x80 | ((c >> 6) & 0x3f));
            out[n++] = (char) (0x80 | (c & 0x3f));
        }
    }
    out[n] = '\0';
    free(utf16);
    if (isCopy != NULL) *isCopy = JNI_TRUE;
    return out;
}

JNIEXPORT const char *GetStringPlatformChars(JNIEnv *env, jstring jstr, jboolean *isCopy) {
    return JNU_GetStringPlatformChars(env, jstr, isCopy);
}

JNIEXPORT void JNICALL JNU_ReleaseStringPlatformChars(JNIEnv *env, jstring jstr, const char *str) {
    (void) env; (void) jstr;
    free((void *) str);
}

/* length of the valid UTF-8 sequence at s (its code point in *cp), 0 when it is not valid */
static int utf8_sequence(const unsigned char *s, unsigned *cp) {
    unsigned c = s[0], min;
    int len;
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xe0) == 0xc0) { len = 2; c &= 0x1f; min = 0x80; }
    else if ((c & 0xf0) == 0xe0) { len = 3; c &= 0x0f; min = 0x800; }
    else if ((c & 0xf8) == 0xf0) { len = 4; c &= 0x07; min = 0x10000; }
    else return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;           /* also stops at the terminating NUL */
        c = c << 6 | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    *cp = c;
    return len;
}

JNIEXPORT jstring JNICALL JNU_NewStringPlatform(JNIEnv *env, const char *str) {
    const unsigned char *s = (const unsigned char *) str;
    size_t max = strlen(str);
    jchar *utf16 = malloc((max + 1) * sizeof(jchar));  /* never more units than bytes */
    if (utf16 == NULL) {
        JNU_ThrowOutOfMemoryError(env, NULL);
        return NULL;
    }
    size_t n = 0;
    while (*s != '\0') {
        unsigned cp;
        int len = utf8_sequence(s, &cp);
        if (len == 0) {
            cp = 0xfffd;
            len = 1;
        }
        if (cp >= 0x10000) {
            utf16[n++] = (jchar) (0xd800 + ((cp - 0x10000) >> 10));
            utf16[n++] = (jchar) (0xdc00 + ((cp - 0x10000) & 0x3ff));
        } else {
            utf16[n++] = (jchar) cp;
        }
        s += len;
    }
    jstring result = (*env)->NewString(env, utf16, (jsize) n);
    free(utf16);
    return result;
}

/* Throws a new `name` whose message is the text of errno, "(message)" appended when given;
   `fallback` (or the message) when errno is 0 or the exception cannot be made. */
static void throw_with_errno(JNIEnv *env, const char *name, const char *message, const char *fallback) {
    char text[512];
    size_t n = getLastErrorString(text, 256);
    if (n > 0) {
        if (message != NULL && *message != '\0') jio_snprintf(text + n, sizeof text - n, " (%s)", message);
        jstring s = JNU_NewStringPlatform(env, text);
        if (s != NULL) {
            jobject x = JNU_NewObjectByName(env, name, "(Ljava/lang/String;)V", s);
            if (x != NULL) (*env)->Throw(env, x);
        }
    }
    if (!(*env)->ExceptionCheck(env)) JNU_ThrowByName(env, name, fallback);
}

JNIEXPORT void JNICALL JNU_ThrowByNameWithLastError(JNIEnv *env, const char *name, const char *defaultDetail) {
    throw_with_errno(env, name, NULL, defaultDetail);
}

JNIEXPORT void JNICALL JNU_ThrowByNameWithMessageAndLastError(JNIEnv *env, const char *name, const char *message) {
    throw_with_errno(env, name, message, message != NULL && *message != '\0' ? message : "no further information");
}

JNIEXPORT void JNICALL JNU_ThrowIOExceptionWithLastError(JNIEnv *env, const char *defaultDetail) {
    throw_with_errno(env, "java/io/IOException", NULL, defaultDetail);
}

JNIEXPORT void JNICALL JNU_ThrowIOExceptionWithMessageAndLastError(JNIEnv *env, const char *message) {
    JNU_ThrowByNameWithMessageAndLastError(env, "java/io/IOException", message);
}
