package jinit.control;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code jinit ctl}: the control socket's client. The launcher runs it in a plain JVM when its
 * first argument is {@code ctl}. It checks the command with the server's own parser
 * ({@link Protocol}), sends one request line and prints the answer, readable
 * ({@link ReadableAnswer}) or as the JSON jinit sent ({@code --json}). Its own options may come
 * before or after the command. Exit status: 0, or for {@code ready} 0 when the application is
 * ready and 1 when not; 2 for any error, with one line on stderr.
 */
public final class ControlClient {
    static final int ERROR = 2;
    private static final long TIMEOUT_MILLIS = 10_000;
    static final String USAGE = "usage: jinit ctl [--socket PATH] [--json] COMMAND   (options before or after the command)\n"
        + Protocol.usage()
        + "  --socket PATH           the control socket (default: $JINIT_CONTROL_SOCKET)\n"
        + "  --json                  print jinit's answer as JSON";

    /** A usage or connection error: one line, exit 2. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private ControlClient() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.getenv("JINIT_CONTROL_SOCKET"), System.out);
        } catch (Failure e) {
            System.err.println("jinit ctl: " + e.getMessage());
            code = ERROR;
        } catch (Throwable t) {
            System.err.println("jinit ctl: internal error: " + t);
            code = ERROR;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Runs {@code jinit ctl ARGS}: the exit status. */
    static int run(String[] args, String socketFromEnv, PrintStream out) throws Failure {
        String socket = socketFromEnv;
        boolean json = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--socket")) {
                if (++i >= args.length) throw new Failure("--socket needs a path");
                socket = args[i];
            } else if (a.startsWith("--socket=")) {
                socket = a.substring("--socket=".length());
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (a.startsWith("-") && words.isEmpty()) {
                throw new Failure("unknown option '" + a + "' (jinit ctl --help)");
            } else {
                words.add(a); // the command and its own arguments (--all, --grace)
            }
        }
        Protocol.Command command;
        try {
            command = Protocol.parse(words);
        } catch (Protocol.BadRequest e) {
            throw new Failure(e.getMessage());
        }
        if (socket == null || socket.isEmpty()) throw new Failure("no control socket: give --socket PATH or set JINIT_CONTROL_SOCKET");

        String answer = exchange(socket, command.line());
        Map<String, Object> m = parse(answer);
        if (json) out.print(answer);
        if (!Boolean.TRUE.equals(m.get("ok"))) {
            Object error = m.get("error");
            throw new Failure(error == null ? "jinit answered: " + answer.trim() : error.toString());
        }
        switch (command.name) {
            case Protocol.READY: {
                boolean ready = Boolean.TRUE.equals(m.get("ready"));
                if (!json) out.println(ready ? "ready" : "not ready (" + m.get("readiness") + ")");
                return ready ? 0 : 1;
            }
            case Protocol.STATUS:
                if (!json) out.print(ReadableAnswer.status(m));
                return 0;
            case Protocol.SIGNAL:
                if (!json) out.println(ReadableAnswer.signalled(m));
                return 0;
            default:
                if (!json) out.println(ReadableAnswer.stopped(m));
                return 0;
        }
    }

    /** Sends the request and reads the answer line; gives up after {@link #TIMEOUT_MILLIS}. */
    static String exchange(String socket, String request) throws Failure {
        Thread timer = new Thread("jinit-ctl-timeout") { // not a lambda: no bootstrap cost at start
            @Override public void run() {
                timeout();
            }
        };
        timer.setDaemon(true);
        timer.start();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new Failure("cannot connect to " + socket + ": " + reason(e, socket));
            }
            ByteBuffer req = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (req.hasRemaining()) ch.write(req);
            } catch (IOException e) {
                // refused peers are answered and closed at once: read what jinit said
            }
            ByteBuffer buf = ByteBuffer.allocate(8192);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            for (;;) {
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException e) {
                    if (answer.size() > 0) break;
                    throw new Failure("lost the connection to " + socket + ": " + reason(e, socket));
                }
                if (n < 0) break;
                buf.flip();
                boolean line = false;
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    answer.write(b);
                    if (b == '\n') line = true;
                }
                buf.clear();
                if (line) break;
                if (answer.size() > 64 << 20) throw new Failure("answer from jinit too long");
            }
            if (answer.size() == 0) throw new Failure("jinit closed the connection without an answer");
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Failure("cannot connect to " + socket + ": " + reason(e, socket));
        }
    }

    private static void timeout() {
        try {
            Thread.sleep(TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("jinit ctl: no answer from jinit within " + TIMEOUT_MILLIS / 1000 + " s");
        System.err.flush();
        Runtime.getRuntime().halt(ERROR);
    }

    /** Why a connection failed, in words a user can act on. */
    static String reason(IOException e, String socket) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        String l = m.toLowerCase(Locale.ROOT);
        if (l.contains("no such file")) return "no such socket (is jinit running with --control-socket?)";
        if (l.contains("connection refused") || l.contains("not a socket")) {
            // connect() to a path that is not a socket is refused too: say which it is
            File f = new File(socket);
            if (f.isFile()) return "not a socket (a regular file)";
            if (f.isDirectory()) return "not a socket (a directory)";
            return "connection refused (nobody listens: is jinit still running?)";
        }
        if (l.contains("permission denied")) return "permission denied (only jinit's user and root may use it)";
        return e instanceof SocketException ? m : e.getClass().getSimpleName() + ": " + m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String answer) throws Failure {
        try {
            Object o = Json.parse(answer.trim());
            if (o instanceof Map) return (Map<String, Object>) o;
        } catch (IllegalArgumentException e) {
            // below
        }
        String t = answer.trim();
        throw new Failure("not an answer from jinit: " + (t.length() > 80 ? t.substring(0, 80) + "..." : t));
    }
}
