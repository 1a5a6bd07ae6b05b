package jinit;

import jinit.sys.Bytes;
import jinit.sys.Native;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure jinit runs with its signals blocked in every thread. The launcher normally does
 * that with GNU env --block-signal before the JVM starts. When jinit was started some other
 * way (busybox env, java -jar from an image's ENTRYPOINT), this first JVM blocks them on its
 * own thread and execve()s a second one with the same arguments: the new JVM inherits that
 * thread's mask in all of its threads. It costs a second JVM start, so it is the fallback.
 */
final class Stage0 {
    private Stage0() {}

    /** Re-executes the JVM with the signals blocked; returns only with an error message. */
    static String reexec(Native sys, byte[][] args) {
        if (System.getenv(Launch.STAGE0) != null) {
            return "signals are still not blocked after re-executing the JVM (blocked: " + Long.toHexString(sys.blockedSignals()) + ", needed: " + Long.toHexString(Signals.WAITED) + ")";
        }
        String javaHome = System.getProperty("java.home");
        Path jar = Path.of(System.getProperty("java.class.path").split(":")[0]).toAbsolutePath();
        List<byte[]> argv = new ArrayList<>();
        argv.add(bytes(javaHome + "/bin/java"));
        Path options = jar.resolveSibling("jvm.options");
        if (Files.isReadable(options)) {
            argv.add(bytes("@" + options));
        } else {
            for (String o : new String[] {"-Xrs", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:-UsePerfData", "-XX:+DisableAttachMechanism", "--enable-native-access=ALL-UNNAMED"}) {
                argv.add(bytes(o));
            }
        }
        String own = System.getenv("JINIT_JAVA_OPTS");
        if (own != null) for (String o : own.trim().split("\\s+")) if (!o.isEmpty()) argv.add(bytes(o));
        argv.add(bytes("-cp"));
        argv.add(bytes(System.getProperty("java.class.path")));
        argv.add(bytes(Main.class.getName()));
        for (byte[] a : args) argv.add(a);

        List<byte[]> env = new ArrayList<>();
        boolean launched = System.getenv(Launch.VARIABLE) != null;
        for (byte[] e : sys.environment()) {
            if (!launched && isAppJvmVariable(e)) {
                byte[] saved = new byte[Launch.SAVED_PREFIX.length() + e.length];
                System.arraycopy(bytes(Launch.SAVED_PREFIX), 0, saved, 0, Launch.SAVED_PREFIX.length());
                System.arraycopy(e, 0, saved, Launch.SAVED_PREFIX.length(), e.length);
                env.add(saved);
            } else if (!Bytes.hasName(e, Launch.SR_SIGNUM)) {
                env.add(e);
            }
        }
        if (!launched) env.add(bytes(Launch.VARIABLE + "=" + Launch.ofThisProcess(sys.getpid()).encode()));
        env.add(bytes(Launch.SR_SIGNUM + "=" + Signals.JVM_SR));
        env.add(bytes(Launch.STAGE0 + "=1"));

        int rc = sys.blockSignals(Signals.BLOCKED_AT_START);
        if (rc < 0) return "cannot block signals (errno " + -rc + ")";
        rc = sys.execve(argv.get(0), argv.toArray(new byte[0][]), env.toArray(new byte[0][]));
        return "cannot re-execute " + javaHome + "/bin/java (errno " + -rc + ")";
    }

    private static boolean isAppJvmVariable(byte[] e) {
        for (String name : Launch.APP_JVM_VARIABLES) if (Bytes.hasName(e, name)) return true;
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
