/* java.lang.Shutdown (Runtime.halt, System.exit): JVM_Halt in libjvm.c; unchanged for JDK 25. */
#include <java.base/share/native/libjava/Shutdown.c>
