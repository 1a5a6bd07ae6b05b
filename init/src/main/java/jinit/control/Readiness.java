package jinit.control;

import jinit.Log;
import jinit.LoopState;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Whether the application is ready, and the --ready-file that says so. Told by the socket
 * thread (READY=1, RELOADING=1, STOPPING=1 over sd_notify) and by the main loop's published
 * state (the stop sequence began), hence the lock. Without --notify the application is ready
 * while the main child runs and jinit is not stopping.
 */
final class Readiness {
    private final boolean notify;
    private final String readyFile;
    private boolean readyReceived, reloading, appStopping, jinitStopping;
    private long readySinceMillis;
    private boolean readyFileWarned;

    Readiness(boolean notify, String readyFile) {
        this.notify = notify;
        this.readyFile = readyFile;
    }

    /** READY=1. */
    synchronized void ready() {
        if (jinitStopping || appStopping) return;
        if (!readyReceived || reloading) readySinceMillis = System.currentTimeMillis();
        readyReceived = true;
        reloading = false;
        if (readyFile == null) return;
        try {
            new FileOutputStream(readyFile).close();
        } catch (IOException e) {
            if (!readyFileWarned) Log.warn("cannot create the ready file {}: {}", readyFile, e.getMessage());
            readyFileWarned = true;
        }
    }

    /** RELOADING=1: not ready until the next READY=1. */
    synchronized void reloading() {
        reloading = true;
        removeReadyFile();
    }

    /** STOPPING=1 from the application. */
    synchronized void appStopping() {
        appStopping = true;
        removeReadyFile();
    }

    /** jinit's stop sequence began. */
    synchronized void jinitStopping() {
        jinitStopping = true;
        removeReadyFile();
    }

    /** "ready", "starting", "reloading", "stopping" or "exited". */
    synchronized String state(LoopState loop) {
        if (!loop.childAlive) return "exited";
        if (loop.stopping || jinitStopping || appStopping) return "stopping";
        if (reloading) return "reloading";
        if (!notify || readyReceived) return "ready";
        return "starting";
    }

    /** Since when it is ready: READY=1's time, or without --notify {@code childStartMillis}. */
    synchronized long sinceMillis(long childStartMillis) {
        return notify ? readySinceMillis : childStartMillis;
    }

    String readyFile() {
        return readyFile;
    }

    /** Not ready (any more): the ready file goes; also at exit. */
    void removeReadyFile() {
        if (readyFile != null) new File(readyFile).delete();
    }
}
