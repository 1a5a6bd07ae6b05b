/* File opening and path handling for java.io on Unix: unchanged for JDK 25. */
#include <java.base/unix/native/libjava/io_util_md.c>
