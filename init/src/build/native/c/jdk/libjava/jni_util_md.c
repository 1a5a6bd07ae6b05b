/* Error messages (strerror) for the JNU_Throw helpers: unchanged for JDK 25. */
#include <java.base/unix/native/libjava/jni_util_md.c>
