/* java.io.FileDescriptor. Renamed in JDK 25: sync -> sync0. */
#include "java_io_FileDescriptor.h"
#define Java_java_io_FileDescriptor_sync Java_java_io_FileDescriptor_sync0
#include <java.base/unix/native/libjava/FileDescriptor_md.c>
