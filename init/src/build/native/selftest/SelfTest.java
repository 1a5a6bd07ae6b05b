import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.TimeZone;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

import org.graalvm.nativeimage.VMRuntime;
import org.graalvm.nativeimage.c.function.CFunction;
import org.slf4j.LoggerFactory;

/**
 * The builder's run-time self-test: built by setup-builder.sh with the new builder and the image
 * flags, then run once. It exercises every JDK native that jinit's Java code reaches (the JDK's C
 * code comes from OpenJDK 17, its Java side from JDK 25: a native whose meaning changed links
 * fine and fails only here) and the run-time traps of a static musl image (main on the first
 * thread, stack sizes). Usage: SelfTest WORK_DIR; prints one line per failed check and exits 1,
 * or prints "selftest: N checks passed".
 */
public final class SelfTest {
    @CFunction static native int getpid();
    @CFunction static native int gettid();

    private static final List<String> failures = new ArrayList<>();
    private static int checks;

    public static void main(String[] args) throws Exception {
        // with -H:-ParseRuntimeOptions svm leaves the VM's start-up hooks to the program: among
        // them, SIGPIPE and SIGXFSZ get an empty handler (where they are not ignored), so that a
        // write to a closed pipe is an IOException as on a JVM, not the end of the process
        VMRuntime.initialize();
        Path work = Path.of(args[0]);
        int pid = getpid();

        // the image flags: main runs on the process's first thread (-H:-RunMainInNewThread), so a
        // signal it blocks is blocked for the process; runtime options stay with the program
        // (-H:-ParseRuntimeOptions: an init passes -XX:/-D arguments on to its child)
        check("main on the first thread", gettid() == pid, "tid " + gettid() + ", pid " + pid);
        check("arguments untouched", Arrays.asList(args).equals(List.of(args[0], "-Dx=y", "-XX:+Foo")),
                Arrays.toString(args));

        // System.getenv: ProcessEnvironment.environ()
        check("getenv", "ok 1".equals(System.getenv("JINIT_SELFTEST")), System.getenv("JINIT_SELFTEST"));
        Map<String, String> env = System.getenv();
        check("getenv map", env.containsKey("JINIT_SELFTEST") && !env.containsKey("JINIT_SELFTEST_UNSET"), "" + env.size());

        // FileInputStream on /proc (ProcessTree, Bytes); available/skip go through other natives
        byte[] stat;
        try (FileInputStream in = new FileInputStream("/proc/self/stat")) {
            stat = in.readAllBytes();
        }
        check("FileInputStream /proc", new String(stat, StandardCharsets.US_ASCII).startsWith(pid + " ("), new String(stat, 0, Math.min(40, stat.length)));
        try (FileInputStream in = new FileInputStream("/proc/self/cmdline")) {
            check("FileInputStream read()", in.read() > 0, "");
        }
        expectIOException("FileInputStream missing file", () -> new FileInputStream(work.resolve("missing").toString()).close());

        // java.io.File (ProcessTree, Spawner, Control)
        String[] names = new File("/proc").list();
        check("File.list /proc", names != null && Arrays.asList(names).contains(Integer.toString(pid)), names == null ? "null" : names.length + " names");
        check("File.getCanonicalPath", new File("/proc/self").getCanonicalPath().equals("/proc/" + pid), new File("/proc/self").getCanonicalPath());
        check("File.exists/isFile", new File("/proc/self/stat").isFile() && !new File(work.resolve("missing").toString()).exists(), "");
        check("File.isDirectory", new File("/proc").isDirectory() && !new File("/proc/self/stat").isDirectory(), "");
        check("File.canExecute", new File("/proc/self/exe").canExecute() && !new File("/proc/self/stat").canExecute(), "");
        check("File.canRead", new File("/proc/self/stat").canRead(), "");

        // FileOutputStream (ready file), File.delete
        File ready = work.resolve("ready").toFile();
        new FileOutputStream(ready).close();
        check("FileOutputStream creates", ready.isFile() && ready.length() == 0, "");
        check("File.delete", ready.delete() && !ready.exists(), "");

        // java.nio.file (Control, Spawner, Stage0)
        Path file = work.resolve("file");
        Files.createFile(file);
        Files.write(file, "hello\n".getBytes(StandardCharsets.UTF_8));
        check("Files.write/size", Files.size(file) == 6, "" + Files.size(file));
        check("Files.readAllBytes", "hello\n".equals(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)), "");
        check("Files.isDirectory", Files.isDirectory(work) && !Files.isDirectory(file) && !Files.isDirectory(work.resolve("missing")), "");
        check("Files.isReadable", Files.isReadable(file) && !Files.isReadable(work.resolve("missing")), "");
        Path link = work.resolve("link");
        Files.createSymbolicLink(link, file);
        BasicFileAttributes a = Files.readAttributes(link, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        check("readAttributes NOFOLLOW_LINKS", a.isSymbolicLink() && !a.isRegularFile(), "");
        BasicFileAttributes f = Files.readAttributes(link, BasicFileAttributes.class);
        check("readAttributes", f.isRegularFile() && f.size() == 6 && f.lastModifiedTime().toMillis() > 0, "" + f.size());
        check("readAttributes of a socket/other", Files.readAttributes(Path.of("/dev/null"), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(), "");
        expectIOException("Files.createFile existing", () -> Files.createFile(file));
        Files.delete(link);
        Files.delete(file);
        check("Files.delete", !Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS), "");
        expectIOException("Files.delete missing", () -> Files.delete(file));
        check("Path.toAbsolutePath (getcwd)", Path.of("x").toAbsolutePath().isAbsolute(), "");
        Path touched = Files.createFile(work.resolve("touched"));
        Files.setLastModifiedTime(touched, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        check("Files.setLastModifiedTime (futimens)", Files.getLastModifiedTime(touched).toMillis() == 1_000_000_000_000L, "");
        Files.delete(touched);

        // threads and java.util.concurrent (Log's writer, ControlServer)
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < 1000; i++) seen.add(Integer.toString(queue.take()));
                done.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "selftest-consumer");
        consumer.start();
        for (int i = 0; i < 1000; i++) queue.put(i);
        check("threads and queues", done.await(10, TimeUnit.SECONDS) && seen.size() == 1000, "" + seen.size());
        consumer.join();
        check("poll timeout", queue.poll(20, TimeUnit.MILLISECONDS) == null, "");

        // stacks: the main thread's (musl reports only what is mapped: the pthread_getattr_np
        // wrapper) and a new thread's (musl's default is 128 KiB: -R:StackSize)
        check("main thread stack", depth(0, 100_000) == 100_000, "");
        int[] deep = new int[1];
        Thread t = new Thread(() -> deep[0] = depth(0, 100_000));
        t.start();
        t.join();
        check("new thread stack", deep[0] == 100_000, "" + deep[0]);

        // String.format and the default locale (C or POSIX is en_US, as on a JVM)
        check("String.format", String.format("%5.2f|%s|%d|%x|%-3s|", 3.14159, "a", -12, 255, "b").equals(" 3.14|a|-12|ff|b  |"),
                String.format("%5.2f|%s|%d|%x|%-3s|", 3.14159, "a", -12, 255, "b"));
        check("default locale", Locale.getDefault().equals(Locale.US), Locale.getDefault().toString());

        // the time zone (set-up runs this with TZ=Europe/Paris) and java.util.zip (zlib)
        check("default time zone", "Europe/Paris".equals(TimeZone.getDefault().getID()), TimeZone.getDefault().getID());
        CRC32 crc = new CRC32();
        crc.update("hello, jinit".getBytes(StandardCharsets.US_ASCII));
        check("CRC32", crc.getValue() == 0x374cc0e0L, Long.toHexString(crc.getValue()));
        byte[] deflated = {120, -100, -53, 72, -51, -55, -55, -41, 81, -56, -54, -52, -53, 44, 1, 0, 28, -7, 4, 127};
        Inflater inflater = new Inflater();
        inflater.setInput(deflated);
        byte[] inflated = new byte[64];
        int n = inflater.inflate(inflated);
        inflater.end();
        check("Inflater", "hello, jinit".equals(new String(inflated, 0, n, StandardCharsets.US_ASCII)), "");

        // UNIX domain sockets through java.nio.channels (jinit ctl)
        Path sock = work.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            check("socket file", Files.readAttributes(sock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(), "");
            Thread echo = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    c.read(b);
                    b.flip();
                    c.write(b);
                } catch (IOException e) {
                    failures.add("socket server: " + e);
                }
            });
            echo.start();
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(sock));
                c.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer b = ByteBuffer.allocate(64);
                c.read(b);
                check("socket exchange", "ping\n".equals(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII)), "");
            }
            echo.join();
            // a peer that is gone: an IOException (EPIPE), not a SIGPIPE that ends the process
            Thread closer = new Thread(() -> {
                try {
                    server.accept().close();
                } catch (IOException e) {
                    failures.add("socket server: " + e);
                }
            });
            closer.start();
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(sock));
                closer.join();
                expectIOException("write to a closed socket", () -> {
                    for (int i = 0; i < 100; i++) c.write(ByteBuffer.allocate(65536));
                });
            }
        }
        Files.delete(sock);
        expectIOException("socket connect refused", () -> {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(sock));
            }
        });

        // slf4j-simple on stderr (the set-up checks the line) and plain System.err
        LoggerFactory.getLogger("selftest").warn("slf4j {}", "works");
        System.err.println("stderr works");

        for (String failure : failures) System.out.println("selftest FAILED: " + failure);
        System.out.println(failures.isEmpty() ? "selftest: " + checks + " checks passed" : "selftest: " + failures.size() + " of " + checks + " checks failed");
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Recursion depth reached, or -1 on a stack overflow (not a tail call: each level keeps a frame). */
    private static int depth(int n, int max) {
        try {
            return recurse(n, max);
        } catch (StackOverflowError e) {
            return -1;
        }
    }

    private static int recurse(int n, int max) {
        return n == max ? n : 1 + recurse(n + 1, max) - 1;
    }

    private static void check(String what, boolean ok, String detail) {
        checks++;
        if (!ok) failures.add(what + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    interface Action { void run() throws IOException; }

    private static void expectIOException(String what, Action action) {
        checks++;
        try {
            action.run();
            failures.add(what + " (no exception)");
        } catch (IOException expected) {
            // the JDK turned errno into the exception
        } catch (RuntimeException | Error e) {
            failures.add(what + " (" + e + ")");
        }
    }
}
