/* java.io.FileOutputStream (System.out, System.err, files): unchanged for JDK 25. */
#include <java.base/unix/native/libjava/FileOutputStream_md.c>
