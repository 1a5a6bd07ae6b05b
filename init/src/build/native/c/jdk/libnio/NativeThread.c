/*
 * sun.nio.ch.NativeThread: how a thread blocked in I/O on a channel is woken when another
 * thread closes the channel (a signal with an empty handler). Renamed in JDK 25: current ->
 * current0, signal -> signal0. New: supportPendingSignals0 (Linux keeps a signal pending until
 * the thread can take it: true).
 */
#include "sun_nio_ch_NativeThread.h"
#define Java_sun_nio_ch_NativeThread_current Java_sun_nio_ch_NativeThread_current0
#define Java_sun_nio_ch_NativeThread_signal Java_sun_nio_ch_NativeThread_signal0
#include <java.base/unix/native/libnio/ch/NativeThread.c>

JNIEXPORT jboolean JNICALL Java_sun_nio_ch_NativeThread_supportPendingSignals0(JNIEnv *env, jclass cl) { return JNI_TRUE; }
