package jinit.control;

import jinit.Durations;
import jinit.Log;
import jinit.LoopState;
import jinit.Request;

import java.util.Map;

/**
 * What the application tells jinit over the sd_notify socket: readiness, a status text, its
 * main pid, and watchdog pings. Runs on the socket thread, which hands it each datagram with
 * the sender's credentials (SCM_CREDENTIALS: the kernel's, not the sender's word). Only jinit's
 * uid and root may notify. When the watchdog is not pinged in time, or is triggered, jinit
 * stops as if a TERM had come: a stop request for the main loop.
 */
final class Notifications {
    private final int uid;
    private final Readiness readiness;
    private final RequestQueue queue;
    private final RateLimit ignoredLog = new RateLimit();

    // what the application said
    private String statusText;
    private int mainPid;
    private long watchdogNanos, lastPing, lastPingMillis;
    private boolean watchdogArmed, watchdogFired;

    // counters
    long accepted, otherUid, oversize, malformed;

    Notifications(int uid, long watchdogNanos, Readiness readiness, RequestQueue queue) {
        this.uid = uid;
        this.watchdogNanos = watchdogNanos;
        this.readiness = readiness;
        this.queue = queue;
    }

    /** One datagram of {@code length} bytes (more than the buffer when it was truncated) from {@code pid}, {@code senderUid}. */
    void receive(byte[] data, int length, int pid, int senderUid, long now) {
        if (senderUid != uid && senderUid != 0) { // -1: no credentials (not with SO_PASSCRED, but then: not trusted)
            otherUid++;
            ignored(now, "a datagram from uid " + senderUid + " (pid " + pid + "): only uid " + uid + " and root may notify");
            return;
        }
        if (length > NotifyMessage.MAX_BYTES) {
            oversize++;
            ignored(now, "a datagram of more than " + NotifyMessage.MAX_BYTES + " bytes from pid " + pid);
            return;
        }
        Map<String, String> message = NotifyMessage.parse(data, length);
        if (message == null) {
            malformed++;
            ignored(now, "a malformed datagram from pid " + pid);
            return;
        }
        accepted++;
        apply(message, pid, now);
    }

    private void ignored(long now, String what) {
        long skipped = ignoredLog.take(now);
        if (skipped >= 0) Log.warn("notify: ignored {}{}", what, RateLimit.more(skipped, "ignored"));
    }

    private void apply(Map<String, String> m, int pid, long now) {
        String usec = m.get("WATCHDOG_USEC");
        if (usec != null) {
            watchdogNanos = Math.min(Long.MAX_VALUE / 4, NotifyMessage.positive(usec, 18) * 1000);
            lastPing = now;
            Log.info("notify: pid {} set the watchdog timeout to {}", pid, Durations.format(watchdogNanos));
        }
        String status = m.get("STATUS");
        if (status != null) {
            statusText = status.length() > 256 ? status.substring(0, 256) : status;
            Log.debug("notify: STATUS={}", statusText);
        }
        String mainpid = m.get("MAINPID");
        if (mainpid != null) {
            mainPid = (int) NotifyMessage.positive(mainpid, 10);
            Log.info("notify: MAINPID={}", mainPid);
        }
        if (m.containsKey("RELOADING")) {
            readiness.reloading();
            Log.info("notify: pid {} is reloading", pid);
        }
        if (m.containsKey("READY")) {
            readiness.ready();
            Log.info("notify: pid {} is ready", pid);
            armWatchdog(now);
        }
        if (m.containsKey("STOPPING")) {
            readiness.appStopping();
            Log.info("notify: pid {} is stopping", pid);
        }
        String watchdog = m.get("WATCHDOG");
        if ("1".equals(watchdog)) armWatchdog(now);
        else if ("trigger".equals(watchdog)) fire("pid " + pid + " sent WATCHDOG=trigger");
    }

    /** A ping; READY=1 and the first ping arm the watchdog, as systemd does. */
    private void armWatchdog(long now) {
        watchdogArmed = true;
        lastPing = now;
        lastPingMillis = System.currentTimeMillis();
    }

    /** Fires the watchdog when it is due: nanoseconds until it is due next (MAX_VALUE: never). */
    long watchdog(long now) {
        if (!watchdogArmed || watchdogFired || watchdogNanos <= 0) return Long.MAX_VALUE;
        long due = lastPing + watchdogNanos - now;
        if (due > 0) return due;
        fire("no WATCHDOG=1 from the child for " + Durations.format(now - lastPing) + " (WATCHDOG_USEC=" + watchdogNanos / 1000 + ")");
        return Long.MAX_VALUE;
    }

    private void fire(String why) {
        if (watchdogFired) return;
        watchdogFired = true;
        LoopState m = queue.state();
        if (m.stopping || !m.childAlive) return;
        Log.warn("watchdog: {}: stopping", why);
        queue.submit(Request.stop(-1, "watchdog timeout"), false);
    }

    String statusText() {
        return statusText;
    }

    int mainPid() {
        return mainPid;
    }

    long watchdogNanos() {
        return watchdogNanos;
    }

    long lastPingMillis() {
        return lastPingMillis;
    }
}
