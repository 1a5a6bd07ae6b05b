/* Reading and writing through a FileDescriptor (FileInputStream, FileOutputStream): unchanged for JDK 25. */
#include <java.base/share/native/libjava/io_util.c>
