package jinit;

import jinit.sys.Bytes;
import jinit.sys.Native;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The socket thread: one poll() loop over the listening control socket, the notify socket and
 * the open control connections, all non-blocking. Nothing a client does can hold it for long,
 * and nothing here ever waits for the main loop:
 * <ul>
 * <li>a peer whose uid (SO_PEERCRED) is neither jinit's nor root's gets one error line and is
 *     closed at once, and is logged (at most once a second, with a count of the rest);
 * <li>a request is one line of at most {@value #MAX_REQUEST} bytes; a connection has
 *     {@value #EXCHANGE_SECONDS} s to send it and again as long to read the answer, then it is
 *     closed; at most {@value #MAX_CONNECTIONS} are open at once (the kernel's backlog holds the
 *     next ones);
 * <li>signal and stop requests are queued for the main loop ({@link Control#submit}); the
 *     connection waits for the answer without holding up the others;
 * <li>notify datagrams are taken at most {@value #DATAGRAMS_PER_ROUND} per round, so a flood
 *     cannot starve the control connections.
 * </ul>
 * The protocol is described in README.md, "Looking into a running jinit".
 */
final class ControlServer implements Runnable {
    static final int MAX_CONNECTIONS = 512, MAX_REQUEST = 1024, DATAGRAMS_PER_ROUND = 64;
    static final int EXCHANGE_SECONDS = 5;
    private static final long EXCHANGE_NANOS = EXCHANGE_SECONDS * 1_000_000_000L;
    /** How often a connection waiting for the main loop looks for the answer. */
    private static final int PENDING_POLL_MILLIS = 2;
    /**
     * A status answer is reused for this long: many clients at once then share one answer (its
     * bytes are only read), so memory stays bounded whatever the clients do.
     */
    private static final long STATUS_CACHE_NANOS = 100_000_000L;
    /** At most this many processes are listed in a status answer (about 150 bytes each). */
    static final int MAX_LISTED = 10_000;

    /** One open control connection. */
    private static final class Connection {
        final int fd;
        long deadline;
        final byte[] in = new byte[MAX_REQUEST];
        int inLength;
        byte[] out;
        int outAt;
        Control.Action pending;
        /** A signal or stop request was submitted for this connection: Control counts it until closed. */
        boolean submitted;
        boolean closed;

        Connection(int fd, long deadline) {
            this.fd = fd;
            this.deadline = deadline;
        }
    }

    /** At most one log line a second for a repeated event; the rest are counted into the next. */
    private static final class RateLimit {
        private long last = Long.MIN_VALUE / 2;
        private long suppressed;

        /** -1: do not log now; otherwise how many were left unlogged since the last line. */
        long take(long now) {
            if (now - last < 1_000_000_000L) {
                suppressed++;
                return -1;
            }
            last = now;
            long s = suppressed;
            suppressed = 0;
            return s;
        }
    }

    private final Control c;
    private final Native sys;
    private final List<Connection> connections = new ArrayList<>();
    private final byte[] buffer = new byte[MAX_REQUEST];
    private final byte[] datagram = new byte[Notify.MAX_BYTES + 1];
    private final int[] credentials = new int[3];
    private final RateLimit refusedLog = new RateLimit(), ignoredLog = new RateLimit(), errorLog = new RateLimit();
    private long acceptPausedUntil;
    private boolean pauseAccept;

    // counters: written and read on this thread only
    private long connectionsAccepted, connectionsRefused, badRequests, timeouts;
    private long notifyAccepted, notifyOtherUid, notifyOversize, notifyMalformed;

    // sd_notify state: this thread only
    private String statusText;
    private int mainPid;
    private long watchdogNanos, lastPing, lastPingMillis;
    private boolean watchdogArmed, watchdogFired;

    private byte[] cachedStatus;
    private long cachedStatusAt;
    private long jinitStartMillis;

    ControlServer(Control c) {
        this.c = c;
        this.sys = c.sys;
        this.watchdogNanos = c.options.watchdogNanos;
    }

    @Override
    public void run() {
        int slots = MAX_CONNECTIONS + 2;
        int[] fds = new int[slots];
        short[] events = new short[slots], revents = new short[slots];
        Connection[] polled = new Connection[slots];
        c.awaitChild();
        while (!c.closing) {
            try {
                round(fds, events, revents, polled);
            } catch (RuntimeException | Error e) {
                // never let one bad request end the thread; a persistent failure is slowed down
                long skipped = errorLog.take(System.nanoTime());
                if (skipped >= 0) Log.warn("control: {}", e.toString());
                pause(100);
            }
        }
    }

    private void round(int[] fds, short[] events, short[] revents, Connection[] polled) {
        long now = System.nanoTime();
        boolean waiting = false;
        long next = Long.MAX_VALUE; // the next deadline, as an offset from now
        for (Connection k : connections) {
            if (k.pending != null && k.pending.answer != null) {
                respond(k, k.pending.answer, now);
                k.pending = null;
            }
            if (!k.closed && now - k.deadline >= 0) {
                if (k.pending != null) {
                    k.pending = null;
                    respond(k, Json.error("jinit's main loop did not answer within " + EXCHANGE_SECONDS + " s (the request stays queued)"), now);
                } else {
                    timeouts++;
                    close(k);
                }
            }
            if (k.closed) continue;
            if (k.pending != null) waiting = true;
            next = Math.min(next, k.deadline - now);
        }
        removeClosed();
        next = Math.min(next, watchdog(now));

        int n = 0;
        boolean acceptNow = !pauseAccept || now - acceptPausedUntil >= 0;
        if (c.controlFd >= 0 && connections.size() < MAX_CONNECTIONS && acceptNow) {
            pauseAccept = false;
            fds[n] = c.controlFd;
            events[n] = Native.POLLIN;
            polled[n++] = null;
        } else if (!acceptNow) {
            next = Math.min(next, acceptPausedUntil - now);
        }
        if (c.notifyFd >= 0) {
            fds[n] = c.notifyFd;
            events[n] = Native.POLLIN;
            polled[n++] = null;
        }
        for (Connection k : connections) {
            fds[n] = k.fd;
            events[n] = k.out != null ? Native.POLLOUT : k.pending != null ? 0 : Native.POLLIN;
            polled[n++] = k;
        }
        int timeout = next == Long.MAX_VALUE ? -1 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, (next + 999_999) / 1_000_000));
        if (waiting) timeout = timeout < 0 ? PENDING_POLL_MILLIS : Math.min(timeout, PENDING_POLL_MILLIS);
        c.inPoll = true; // then closing is checked: see Control.stopServer
        if (c.closing) {
            c.inPoll = false;
            return;
        }
        int ready = sys.poll(fds, events, revents, n, timeout);
        c.inPoll = false;
        if (ready < 0) {
            if (ready != -Native.EINTR) throw new IllegalStateException("poll failed: " + Control.errno(ready));
            return;
        }
        if (ready == 0 || c.closing) return; // closing: the wake-up from Control.close(), nothing to serve
        now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            short r = revents[i];
            if (r == 0) continue;
            Connection k = polled[i];
            if (k == null) {
                if (fds[i] == c.controlFd) acceptAll(now);
                else receiveAll(now);
            } else if (k.pending != null) {
                // the client went away while its request waits for the main loop
                if ((r & (Native.POLLHUP | Native.POLLERR | Native.POLLNVAL)) != 0) close(k);
            } else if (k.out != null) {
                write(k);
            } else {
                read(k, now);
            }
        }
        removeClosed();
    }

    private void removeClosed() {
        for (Iterator<Connection> it = connections.iterator(); it.hasNext(); ) if (it.next().closed) it.remove();
    }

    // ---- the control socket

    private void acceptAll(long now) {
        while (connections.size() < MAX_CONNECTIONS) {
            int fd = sys.accept(c.controlFd);
            if (fd == -Native.EAGAIN || fd == -Native.EINTR || fd == -103 /* ECONNABORTED */) return;
            if (fd < 0) {
                // out of descriptors (EMFILE, ENFILE) or memory: leave them in the backlog a while
                pauseAccept = true;
                acceptPausedUntil = now + 100_000_000L;
                long skipped = errorLog.take(now);
                if (skipped >= 0) Log.warn("control: cannot accept a connection: {}", Control.errno(fd));
                return;
            }
            int rc = sys.peerCredentials(fd, credentials);
            int pid = credentials[0], peer = credentials[1];
            if (rc < 0 || (peer != c.uid && peer != 0)) {
                connectionsRefused++;
                long skipped = refusedLog.take(now);
                if (skipped >= 0) {
                    Log.warn("control: refused a connection from {}: only jinit's user (uid " + c.uid + ") and root may use the control socket{}",
                        rc < 0 ? "a peer without credentials" : "uid " + peer + " (pid " + pid + ")",
                        skipped > 0 ? " (" + skipped + " more refused since the last message)" : "");
                }
                byte[] no = Json.error("permission denied: uid " + peer + " is neither jinit's uid (" + c.uid + ") nor root").getBytes(StandardCharsets.UTF_8);
                sys.send(fd, no, 0, no.length); // best effort, never waited for
                sys.close(fd);
                continue;
            }
            connectionsAccepted++;
            connections.add(new Connection(fd, now + EXCHANGE_NANOS));
        }
    }

    private void read(Connection k, long now) {
        int room = MAX_REQUEST - k.inLength;
        int got = sys.read(k.fd, buffer, room);
        if (got == -Native.EAGAIN || got == -Native.EINTR) return;
        if (got < 0) {
            close(k);
            return;
        }
        if (got == 0) { // end of file: what came is the request, if anything did
            if (k.inLength == 0) close(k);
            else request(k, k.inLength, now);
            return;
        }
        int from = k.inLength;
        System.arraycopy(buffer, 0, k.in, from, got);
        k.inLength += got;
        for (int i = from; i < k.inLength; i++) {
            if (k.in[i] == '\n') {
                request(k, i, now);
                return;
            }
        }
        if (k.inLength == MAX_REQUEST) {
            badRequests++;
            respond(k, Json.error("bad request: longer than " + MAX_REQUEST + " bytes without a newline"), now);
        }
    }

    private void write(Connection k) {
        while (k.outAt < k.out.length) {
            int sent = sys.send(k.fd, k.out, k.outAt, k.out.length - k.outAt);
            if (sent == -Native.EAGAIN || sent == -Native.EINTR) return; // poll for POLLOUT
            if (sent < 0) {
                close(k);
                return;
            }
            k.outAt += sent;
        }
        close(k);
    }

    private void respond(Connection k, String answer, long now) {
        respond(k, answer.getBytes(StandardCharsets.UTF_8), now);
    }

    private void respond(Connection k, byte[] answer, long now) {
        if (k.closed) return;
        k.out = answer;
        k.outAt = 0;
        k.deadline = now + EXCHANGE_NANOS;
        write(k);
    }

    private void close(Connection k) {
        if (k.closed) return;
        k.closed = true;
        sys.close(k.fd);
        if (k.submitted) c.answered();
    }

    /** The request line in[0..end): the answer now, or queued for the main loop. */
    private void request(Connection k, int end, long now) {
        if (end > 0 && k.in[end - 1] == '\r') end--;
        for (int i = 0; i < end; i++) {
            byte b = k.in[i];
            if ((b < 0x20 && b != '\t') || b == 0x7f) { // not a text command (UTF-8 beyond ASCII is never one)
                badRequests++;
                respond(k, Json.error("bad request: not a text command"), now);
                return;
            }
        }
        String[] words = words(new String(k.in, 0, end, StandardCharsets.ISO_8859_1));
        String command = words.length == 0 ? "" : words[0];
        switch (command) {
            case "status":
                if (words.length != 1) break;
                if (cachedStatus == null || now - cachedStatusAt >= STATUS_CACHE_NANOS) {
                    cachedStatus = status().getBytes(StandardCharsets.UTF_8);
                    cachedStatusAt = now;
                }
                respond(k, cachedStatus, now);
                return;
            case "ready":
                if (words.length != 1) break;
                Control.MainState m = c.state();
                String readiness = c.readiness(m);
                respond(k, Json.ok("\"ready\":" + readiness.equals("ready") + ",\"readiness\":" + Json.quote(readiness)), now);
                return;
            case "signal": {
                boolean all = words.length == 3 && words[2].equals("--all");
                if (words.length != 2 && !all) break;
                int sig = Signals.parse(words[1]);
                if (sig < 0) {
                    badRequests++;
                    respond(k, Json.error("unknown signal '" + words[1] + "'"), now);
                    return;
                }
                k.pending = new Control.Action(Control.Action.SIGNAL, sig, all, -1, null);
                k.submitted = true;
                c.submit(k.pending, true);
                return;
            }
            case "stop": {
                long grace = -1;
                if (words.length == 3 && words[1].equals("--grace")) {
                    try {
                        grace = Options.duration("--grace", words[2]);
                    } catch (Options.UsageException e) {
                        badRequests++;
                        respond(k, Json.error(e.getMessage()), now);
                        return;
                    }
                } else if (words.length != 1) {
                    break;
                }
                k.pending = new Control.Action(Control.Action.STOP, 0, false, grace, "jinit ctl stop");
                k.submitted = true;
                c.submit(k.pending, true);
                return;
            }
            default:
                badRequests++;
                respond(k, Json.error("unknown command '" + abbreviate(command) + "' (status, ready, signal SIG [--all], stop [--grace DURATION])"), now);
                return;
        }
        badRequests++;
        respond(k, Json.error("bad arguments for " + command + " (status, ready, signal SIG [--all], stop [--grace DURATION])"), now);
    }

    private static String[] words(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') i++;
            if (i > start) out.add(line.substring(start, i));
        }
        return out.toArray(new String[0]);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    // ---- status

    private String status() {
        Control.MainState m = c.state();
        long nowMillis = System.currentTimeMillis();
        StringBuilder b = new StringBuilder(2048);
        b.append("\"jinit\":{\"pid\":").append(c.self)
            .append(",\"version\":").append(Json.quote(Main.VERSION))
            .append(",\"backend\":").append(Json.quote(sys.name()))
            .append(",\"mode\":").append(c.pid1 ? "\"pid1\"" : "\"subreaper\"")
            .append(",\"started\":").append(Json.quote(instant(started())))
            .append(",\"uptime_ms\":").append(nowMillis - started()).append('}');

        b.append(",\"child\":{\"pid\":").append(c.child).append(",\"command\":[");
        for (int i = 0; i < c.command.length; i++) b.append(i == 0 ? "" : ",").append(Json.quote(c.command[i]));
        b.append(']');
        if (m.childAlive) {
            ProcessTree.Proc p = ProcessTree.read("/proc/" + c.child + "/stat");
            boolean stopped = p != null && (p.state == 'T' || p.state == 't');
            b.append(",\"state\":").append(stopped ? "\"stopped\"" : "\"running\"")
                .append(",\"since\":").append(Json.quote(instant(c.childStartMillis)));
        } else {
            int code = ExitStatus.of(m.childStatus), sig = m.childStatus & 0x7f;
            b.append(",\"state\":\"exited\",\"since\":").append(Json.quote(instant(m.childExitMillis)))
                .append(",\"exit_code\":").append(code);
            if (sig != 0) b.append(",\"signal\":").append(Json.quote(Signals.name(sig)));
        }
        b.append('}');

        String readiness = c.readiness(m);
        b.append(",\"ready\":").append(readiness.equals("ready"))
            .append(",\"readiness\":{\"state\":").append(Json.quote(readiness))
            .append(",\"notify\":").append(c.notifyFd >= 0);
        if (readiness.equals("ready")) b.append(",\"since\":").append(Json.quote(instant(c.readySinceMillis())));
        if (c.notifyFd >= 0) {
            b.append(",\"socket\":").append(Json.quote(c.notifyPath))
                .append(",\"status\":").append(statusText == null ? "null" : Json.quote(statusText))
                .append(",\"mainpid\":").append(mainPid == 0 ? "null" : Integer.toString(mainPid))
                .append(",\"watchdog_usec\":").append(watchdogNanos == 0 ? "null" : Long.toString(watchdogNanos / 1000))
                .append(",\"last_watchdog\":").append(lastPingMillis == 0 ? "null" : Json.quote(instant(lastPingMillis)));
        }
        if (c.options.readyFile != null) b.append(",\"ready_file\":").append(Json.quote(c.options.readyFile));
        b.append('}');

        b.append(",\"stopping\":").append(m.stopping);
        if (m.stopping) b.append(",\"deadline_ms\":").append(Math.max(0, (m.deadlineNanos - System.nanoTime()) / 1_000_000));

        b.append(",\"counters\":{\"orphans_reaped\":").append(m.orphansReaped).append(",\"signals_relayed\":{");
        boolean first = true;
        for (int sig = 1; sig < m.relayed.length; sig++) {
            if (m.relayed[sig] == 0) continue;
            b.append(first ? "" : ",").append(Json.quote(Signals.name(sig))).append(':').append(m.relayed[sig]);
            first = false;
        }
        b.append("},\"control\":{\"connections\":").append(connectionsAccepted)
            .append(",\"refused\":").append(connectionsRefused)
            .append(",\"bad_requests\":").append(badRequests)
            .append(",\"timeouts\":").append(timeouts).append('}');
        if (c.notifyFd >= 0) {
            b.append(",\"notify\":{\"accepted\":").append(notifyAccepted)
                .append(",\"other_uid\":").append(notifyOtherUid)
                .append(",\"oversize\":").append(notifyOversize)
                .append(",\"malformed\":").append(notifyMalformed).append('}');
        }
        b.append('}');

        b.append(",\"processes\":").append(tree());
        return Json.ok(b.toString());
    }

    /** The processes below jinit, parents first, as a JSON array (the first MAX_LISTED), and how many there are. */
    private String tree() {
        StringBuilder b = new StringBuilder(256).append('[');
        boolean first = true;
        java.util.List<ProcessTree.Proc> all = ProcessTree.descendants(c.self);
        int listed = 0;
        for (ProcessTree.Proc p : all) {
            if (listed++ == MAX_LISTED) break;
            b.append(first ? "{" : ",{").append("\"pid\":").append(p.pid).append(",\"ppid\":").append(p.ppid)
                .append(",\"pgid\":").append(p.pgid).append(",\"sid\":").append(p.sid)
                .append(",\"state\":").append(Json.quote(String.valueOf(p.state)))
                .append(",\"command\":").append(Json.quote(commandLine(p))).append('}');
            first = false;
        }
        b.append(']');
        if (all.size() > MAX_LISTED) b.append(",\"processes_not_listed\":").append(all.size() - MAX_LISTED);
        return b.toString();
    }

    private static String commandLine(ProcessTree.Proc p) {
        try {
            byte[] raw = Bytes.readFile("/proc/" + p.pid + "/cmdline");
            int n = Math.min(raw.length, 512);
            while (n > 0 && raw[n - 1] == 0) n--;
            if (n > 0) {
                for (int i = 0; i < n; i++) if (raw[i] == 0) raw[i] = ' ';
                return new String(raw, 0, n, StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or a zombie: its name below
        }
        return "[" + p.comm + "]";
    }

    /**
     * When jinit's process started: the kernel's start time of this process (/proc/self/stat,
     * in clock ticks since boot, 100 a second on Linux) set against /proc/uptime; without
     * /proc, when the sockets were set up.
     */
    private long started() {
        if (jinitStartMillis != 0) return jinitStartMillis;
        jinitStartMillis = c.startMillis;
        try {
            String stat = new String(Bytes.readFile("/proc/self/stat"), StandardCharsets.ISO_8859_1);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[19]); // field 22, starttime
            String up = new String(Bytes.readFile("/proc/uptime"), StandardCharsets.ISO_8859_1);
            double uptime = Double.parseDouble(up.substring(0, up.indexOf(' ')));
            long age = (long) (uptime * 1000) - ticks * 10;
            if (age >= 0 && age < System.currentTimeMillis()) jinitStartMillis = System.currentTimeMillis() - age;
        } catch (IOException | RuntimeException e) {
            // no /proc: the set-up time
        }
        return jinitStartMillis;
    }

    private static String instant(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    // ---- the notify socket

    private void receiveAll(long now) {
        for (int i = 0; i < DATAGRAMS_PER_ROUND; i++) {
            int n = sys.receive(c.notifyFd, datagram, credentials);
            if (n == -Native.EAGAIN || n == -Native.EINTR) return;
            if (n < 0) throw new IllegalStateException("cannot receive from the notify socket: " + Control.errno(n));
            int pid = credentials[0], uid = credentials[1];
            if (uid != c.uid && uid != 0) { // -1: no credentials (not possible with SO_PASSCRED, but then: not trusted)
                notifyOtherUid++;
                ignored(now, "a datagram from uid " + uid + " (pid " + pid + "): only uid " + c.uid + " and root may notify");
                continue;
            }
            if (n > Notify.MAX_BYTES) {
                notifyOversize++;
                ignored(now, "a datagram of more than " + Notify.MAX_BYTES + " bytes from pid " + pid);
                continue;
            }
            Map<String, String> message = Notify.parse(datagram, n);
            if (message == null) {
                notifyMalformed++;
                ignored(now, "a malformed datagram from pid " + pid);
                continue;
            }
            notifyAccepted++;
            apply(message, pid, now);
        }
    }

    private void ignored(long now, String what) {
        long skipped = ignoredLog.take(now);
        if (skipped >= 0) Log.warn("notify: ignored {}{}", what, skipped > 0 ? " (" + skipped + " more ignored since the last message)" : "");
    }

    private void apply(Map<String, String> m, int pid, long now) {
        String usec = m.get("WATCHDOG_USEC");
        if (usec != null) {
            watchdogNanos = Math.min(Long.MAX_VALUE / 4, Notify.positive(usec, 18) * 1000);
            lastPing = now;
            Log.info("notify: pid {} set the watchdog timeout to {} ms", pid, watchdogNanos / 1_000_000);
        }
        String status = m.get("STATUS");
        if (status != null) {
            statusText = status.length() > 256 ? status.substring(0, 256) : status;
            Log.debug("notify: STATUS={}", statusText);
        }
        String mainpid = m.get("MAINPID");
        if (mainpid != null) {
            mainPid = (int) Notify.positive(mainpid, 10);
            Log.info("notify: MAINPID={}", mainPid);
        }
        if (m.containsKey("RELOADING")) {
            c.reloading();
            Log.info("notify: pid {} is reloading", pid);
        }
        if (m.containsKey("READY")) {
            c.ready();
            Log.info("notify: pid {} is ready", pid);
            armWatchdog(now);
        }
        if (m.containsKey("STOPPING")) {
            c.appStopping();
            Log.info("notify: pid {} is stopping", pid);
        }
        String watchdog = m.get("WATCHDOG");
        if ("1".equals(watchdog)) {
            armWatchdog(now);
        } else if ("trigger".equals(watchdog)) {
            fire("pid " + pid + " sent WATCHDOG=trigger");
        }
    }

    private void armWatchdog(long now) {
        watchdogArmed = true;
        lastPing = now;
        lastPingMillis = System.currentTimeMillis();
    }

    /** Fires the watchdog when it is due: nanoseconds until it is due next (MAX_VALUE: never). */
    private long watchdog(long now) {
        if (!watchdogArmed || watchdogFired || watchdogNanos <= 0) return Long.MAX_VALUE;
        long due = lastPing + watchdogNanos - now;
        if (due > 0) return due;
        fire("no WATCHDOG=1 from the child for " + (now - lastPing) / 1_000_000 + " ms (WATCHDOG_USEC=" + watchdogNanos / 1000 + ")");
        return Long.MAX_VALUE;
    }

    private void fire(String why) {
        if (watchdogFired) return;
        watchdogFired = true;
        Control.MainState m = c.state();
        if (m.stopping || !m.childAlive) return;
        Log.warn("watchdog: {}: stopping", why);
        c.submit(new Control.Action(Control.Action.STOP, 0, false, -1, "watchdog timeout"), false);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
