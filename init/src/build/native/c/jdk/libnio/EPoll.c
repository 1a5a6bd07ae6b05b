/* sun.nio.ch.EPoll (the selector behind blocking channels with timeouts): unchanged for JDK 25. */
#include <java.base/linux/native/libnio/ch/EPoll.c>
