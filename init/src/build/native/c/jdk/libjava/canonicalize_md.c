/* File.getCanonicalPath: unchanged for JDK 25. */
#include <java.base/unix/native/libjava/canonicalize_md.c>
