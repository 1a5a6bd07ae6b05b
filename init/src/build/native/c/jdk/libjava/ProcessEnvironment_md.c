/* java.lang.ProcessEnvironment (System.getenv): unchanged for JDK 25. */
#include <java.base/unix/native/libjava/ProcessEnvironment_md.c>
