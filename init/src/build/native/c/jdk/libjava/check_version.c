/* JNI_OnLoad_java: checks the VM's interface version (libjvm.c answers JDK 17's): unchanged. */
#include <java.base/share/native/libjava/check_version.c>
