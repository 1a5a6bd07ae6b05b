/* JNI_OnLoad_nio and the helpers (fdval, convertReturnVal) nio's natives share: unchanged for JDK 25. */
#include <java.base/share/native/libnio/nio_util.c>
