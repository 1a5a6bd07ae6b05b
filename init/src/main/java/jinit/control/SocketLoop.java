package jinit.control;

import jinit.Durations;
import jinit.Log;
import jinit.Request;
import jinit.Signals;
import jinit.sys.Native;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The socket thread: one poll() loop over the listening control socket, the notify socket and
 * the open control connections, all non-blocking. Nothing a client does can hold it for long,
 * and it never waits for the main loop:
 * <ul>
 * <li>a peer whose uid (SO_PEERCRED) is neither jinit's nor root's gets one error line and is
 *     closed at once, and is logged (at most once a second, with a count of the rest);
 * <li>a request is one line ({@link Protocol}); a connection has {@value #EXCHANGE_SECONDS} s
 *     to send it and again as long to read the answer, then it is closed; at most
 *     {@value #MAX_CONNECTIONS} are open at once (the kernel's backlog holds the next ones);
 * <li>signal and stop requests go to the main loop ({@link RequestQueue}); the connection
 *     waits for the outcome without holding up the others;
 * <li>notify datagrams are taken at most {@value #DATAGRAMS_PER_ROUND} per round, so a flood
 *     cannot starve the control connections.
 * </ul>
 */
final class SocketLoop implements Runnable {
    static final int MAX_CONNECTIONS = 512, DATAGRAMS_PER_ROUND = 64, EXCHANGE_SECONDS = 5;
    private static final long EXCHANGE_NANOS = EXCHANGE_SECONDS * 1_000_000_000L;
    /** How often a connection waiting for the main loop looks for the outcome. */
    private static final int PENDING_POLL_MILLIS = 2;
    /** A status answer is reused for this long: many clients at once share one, so memory stays bounded. */
    private static final long STATUS_CACHE_NANOS = 100_000_000L;

    /** The control connections' counters, for the status report. */
    static final class Counters {
        long accepted, refused, badRequests, timeouts;
    }

    /** One open control connection. */
    private static final class Connection {
        final int fd;
        long deadline;
        final byte[] in = new byte[Protocol.MAX_REQUEST];
        int inLength;
        byte[] out;
        int outAt;
        /** A request waiting for the main loop's outcome. */
        Request pending;
        /** It submitted a request: the queue counts it as unanswered until the connection closes. */
        boolean submitted;
        boolean closed;

        Connection(int fd, long deadline) {
            this.fd = fd;
            this.deadline = deadline;
        }
    }

    private final ControlSockets c;
    private final Native sys;
    private final Notifications notify;
    /** Made at the first `status`: a jinit that is never asked does not load it. */
    private StatusReport status;
    private final Counters counters = new Counters();
    private final List<Connection> connections = new ArrayList<>();
    private final byte[] buffer = new byte[Protocol.MAX_REQUEST];
    private final byte[] datagram = new byte[NotifyMessage.MAX_BYTES + 1];
    private final int[] credentials = new int[3];
    private final RateLimit refusedLog = new RateLimit(), errorLog = new RateLimit();
    private long acceptPausedUntil;
    private boolean pauseAccept;
    private MainChild child;
    private byte[] cachedStatus;
    private long cachedStatusAt;

    /** Set by {@link #stop}: the thread stops serving. */
    private volatile boolean closing;
    /** The thread is in (or about to enter) poll(); it checks {@link #closing} after setting it. */
    private volatile boolean inPoll;

    SocketLoop(ControlSockets c, Notifications notify) {
        this.c = c;
        this.sys = c.sys;
        this.notify = notify;
    }

    @Override
    public void run() {
        int slots = MAX_CONNECTIONS + 2;
        int[] fds = new int[slots];
        short[] events = new short[slots], revents = new short[slots];
        Connection[] polled = new Connection[slots];
        child = c.awaitChild();
        while (!closing) {
            try {
                round(fds, events, revents, polled);
            } catch (RuntimeException | Error e) {
                // never let one bad request end the thread; a persistent failure is slowed down
                if (errorLog.take(System.nanoTime()) >= 0) Log.warn("control: {}", e.toString());
                pause(100);
            }
        }
    }

    private void round(int[] fds, short[] events, short[] revents, Connection[] polled) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE; // the next deadline, as an offset from now
        boolean waiting = false;
        for (Connection k : connections) {
            if (k.pending != null && k.pending.isComplete()) {
                respond(k, answer(k.pending), now);
                k.pending = null;
            }
            if (!k.closed && now - k.deadline >= 0) {
                if (k.pending != null) {
                    k.pending = null;
                    respond(k, Json.error("jinit's main loop did not answer within " + EXCHANGE_SECONDS + " s (the request stays queued)"), now);
                } else {
                    counters.timeouts++;
                    close(k);
                }
            }
            if (k.closed) continue;
            if (k.pending != null) waiting = true;
            next = Math.min(next, k.deadline - now);
        }
        removeClosed();
        if (notify != null) next = Math.min(next, notify.watchdog(now));

        int n = 0;
        boolean acceptNow = !pauseAccept || now - acceptPausedUntil >= 0;
        if (c.controlFd >= 0 && connections.size() < MAX_CONNECTIONS && acceptNow) {
            pauseAccept = false;
            n = add(fds, events, polled, n, c.controlFd, Native.POLLIN, null);
        } else if (!acceptNow) {
            next = Math.min(next, acceptPausedUntil - now);
        }
        if (c.notifyFd >= 0) n = add(fds, events, polled, n, c.notifyFd, Native.POLLIN, null);
        for (Connection k : connections) {
            n = add(fds, events, polled, n, k.fd, k.out != null ? Native.POLLOUT : k.pending != null ? 0 : Native.POLLIN, k);
        }
        int timeout = next == Long.MAX_VALUE ? -1 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, (next + 999_999) / 1_000_000));
        if (waiting) timeout = timeout < 0 ? PENDING_POLL_MILLIS : Math.min(timeout, PENDING_POLL_MILLIS);
        inPoll = true; // then closing is checked: see stop()
        if (closing) {
            inPoll = false;
            return;
        }
        int ready = sys.poll(fds, events, revents, n, timeout);
        inPoll = false;
        if (ready < 0) {
            if (ready != -Native.EINTR) throw new IllegalStateException("poll failed: " + ControlSockets.errno(ready));
            return;
        }
        if (ready == 0 || closing) return; // closing: the wake-up from stop(), nothing to serve
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

    private static int add(int[] fds, short[] events, Connection[] polled, int n, int fd, short event, Connection k) {
        fds[n] = fd;
        events[n] = event;
        polled[n] = k;
        return n + 1;
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
                if (errorLog.take(now) >= 0) Log.warn("control: cannot accept a connection: {}", ControlSockets.errno(fd));
                return;
            }
            int rc = sys.peerCredentials(fd, credentials);
            int pid = credentials[0], peer = credentials[1];
            if (rc < 0 || (peer != c.uid && peer != 0)) {
                refuse(fd, rc < 0 ? "a peer without credentials" : "uid " + peer + " (pid " + pid + ")", peer, now);
                continue;
            }
            counters.accepted++;
            connections.add(new Connection(fd, now + EXCHANGE_NANOS));
        }
    }

    private void refuse(int fd, String who, int peer, long now) {
        counters.refused++;
        long skipped = refusedLog.take(now);
        if (skipped >= 0) {
            Log.warn("control: refused a connection from {}: only jinit's user (uid " + c.uid + ") and root may use the control socket{}",
                who, RateLimit.more(skipped, "refused"));
        }
        byte[] no = Json.error("permission denied: uid " + peer + " is neither jinit's uid (" + c.uid + ") nor root").getBytes(StandardCharsets.UTF_8);
        sys.send(fd, no, 0, no.length); // best effort, never waited for
        sys.close(fd);
    }

    private void read(Connection k, long now) {
        int got = sys.read(k.fd, buffer, Protocol.MAX_REQUEST - k.inLength);
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
        if (k.inLength == Protocol.MAX_REQUEST) {
            counters.badRequests++;
            respond(k, Json.error("bad request: longer than " + Protocol.MAX_REQUEST + " bytes without a newline"), now);
        }
    }

    /** The request line in[0..end): answered now, or handed to the main loop. */
    private void request(Connection k, int end, long now) {
        Protocol.Command command;
        try {
            command = Protocol.parse(Protocol.words(k.in, end));
        } catch (Protocol.BadRequest e) {
            counters.badRequests++;
            respond(k, Json.error(e.getMessage()), now);
            return;
        }
        switch (command.name) {
            case Protocol.STATUS:
                if (cachedStatus == null || now - cachedStatusAt >= STATUS_CACHE_NANOS) {
                    if (status == null) status = new StatusReport(c);
                    cachedStatus = status.build(child, counters, notify).getBytes(StandardCharsets.UTF_8);
                    cachedStatusAt = now;
                }
                respond(k, cachedStatus, now);
                return;
            case Protocol.READY:
                String readiness = c.readiness.state(c.queue.state());
                respond(k, Json.ok("\"ready\":" + readiness.equals("ready") + ",\"readiness\":" + Json.quote(readiness)), now);
                return;
            default:
                k.pending = command.name.equals(Protocol.SIGNAL) ? Request.signal(command.signal, command.all)
                    : Request.stop(command.graceNanos, "jinit ctl stop");
                k.submitted = true;
                c.queue.submit(k.pending, true);
        }
    }

    /** The answer line for what the main loop did. */
    private static String answer(Request r) {
        if (r.abandoned) return Json.error("jinit exited before it could do this");
        if (r.kind == Request.STOP) {
            return Json.ok("\"stopping\":true,\"already\":" + r.alreadyStopping + ",\"signal\":" + Json.quote(Signals.name(r.stopSignal))
                + ",\"deadline_ms\":" + Durations.roundedMillis(r.nanosToDeadline));
        }
        String name = Json.quote(Signals.name(r.signal));
        if (r.target == Request.ALL) {
            return Json.ok("\"signal\":" + name + ",\"target\":\"all\",\"processes\":" + (r.processes < 0 ? "null" : Integer.toString(r.processes)));
        }
        boolean group = r.target == Request.GROUP;
        if (r.errno != 0) {
            return Json.error("cannot send " + Signals.name(r.signal) + " to " + (group ? "process group " : "child ") + r.pid + ": "
                + (r.errno == Native.ESRCH ? "no such process" : ControlSockets.errno(-r.errno)));
        }
        return Json.ok("\"signal\":" + name + ",\"target\":" + (group ? "\"group\"" : "\"child\"") + ",\"pid\":" + r.pid);
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

    private void write(Connection k) {
        while (k.outAt < k.out.length) {
            int sent = sys.send(k.fd, k.out, k.outAt, k.out.length - k.outAt);
            if (sent == -Native.EAGAIN || sent == -Native.EINTR) return; // poll for POLLOUT
            if (sent < 0) break;
            k.outAt += sent;
        }
        close(k);
    }

    private void close(Connection k) {
        if (k.closed) return;
        k.closed = true;
        sys.close(k.fd);
        if (k.submitted) c.queue.answered();
    }

    // ---- the notify socket

    private void receiveAll(long now) {
        for (int i = 0; i < DATAGRAMS_PER_ROUND; i++) {
            int n = sys.receive(c.notifyFd, datagram, credentials);
            if (n == -Native.EAGAIN || n == -Native.EINTR) return;
            if (n < 0) throw new IllegalStateException("cannot receive from the notify socket: " + ControlSockets.errno(n));
            notify.receive(datagram, n, credentials[0], credentials[1], now);
        }
    }

    // ---- stopping, from the main thread at exit

    /**
     * Gets this thread out of poll() before the JVM halts: HotSpot's exit waits up to 300 ms for
     * threads in native code, and poll() is native. A connection to the control socket (or a
     * datagram to the notify socket) wakes it, and it sees {@link #closing}: either it sees
     * closing before it polls, or this sees inPoll and wakes it. Waits for it at most 100 ms.
     */
    void stop() {
        closing = true;
        if (!inPoll) return; // in Java code (or parked): the JVM's exit does not wait for it
        boolean stream = c.controlPath != null;
        int fd = sys.unixSocket(stream ? Native.SOCK_STREAM : Native.SOCK_DGRAM);
        if (fd >= 0) {
            byte[] address = (stream ? c.controlPath : c.notifyPath).getBytes(StandardCharsets.UTF_8);
            if (sys.connect(fd, address) == 0 && !stream) sys.send(fd, new byte[] {'\n'}, 0, 1);
        }
        long end = System.nanoTime() + 100_000_000L;
        while (inPoll && System.nanoTime() - end < 0) pause(1);
        if (fd >= 0) sys.close(fd);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
