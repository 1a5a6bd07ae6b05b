package jinit.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Helpers for the fault tests (issue 6): root-only set-ups (pids cgroups, other users, mount
 * namespaces), small C helpers compiled on the fly, and what /proc says about a process.
 */
final class Harsh {
    private Harsh() {}

    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    static final boolean REQUIRED = "true".equals(System.getenv("JINIT_REQUIRE_ROOT"));
    /** The unprivileged user the non-root tests run as (nobody on Debian). */
    static final int NOBODY = 65534;

    /** Skips (with the reason) without root; fails instead when JINIT_REQUIRE_ROOT=true. */
    static void requireRoot(String why) {
        if (REQUIRED) assertTrue(ROOT, "JINIT_REQUIRE_ROOT=true but not root: " + why);
        assumeTrue(ROOT, "skipped, needs root: " + why);
    }

    /** A tool the test needs: skipped without it, a failure in CI (JINIT_REQUIRE_ROOT=true). */
    static String requireTool(String name, String why) {
        for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"}) {
            if (new File(dir, name).canExecute()) return dir + "/" + name;
        }
        if (REQUIRED) throw new AssertionError(name + " is missing (install it, see .ci/run): " + why);
        assumeTrue(false, "skipped, " + name + " is not installed: " + why);
        return null;
    }

    /** Compiles the C file {@code src} with the system C compiler into {@code dir/name}. */
    static Path compile(Path dir, String name, Path src) throws Exception {
        String cc = requireTool("cc", "the test's helper program is C");
        Path bin = dir.resolve(name);
        Process p = new ProcessBuilder(cc, "-O2", "-o", bin.toString(), src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "cc timed out");
        assertEquals(0, p.exitValue(), "cc failed:\n" + out);
        return bin;
    }

    /** A directory every user may write to (the tests' @TempDir is root's, mode 700). */
    static Path sharedDir(String prefix) throws IOException {
        Path d = Files.createTempDirectory(Path.of("/tmp"), prefix,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    static void deleteTree(Path d) {
        if (d == null) return;
        try (var s = Files.walk(d)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** Number of threads of {@code pid} (entries of /proc/PID/task), -1 when it is gone. */
    static int threads(int pid) {
        String[] t = new File("/proc/" + pid + "/task").list();
        return t == null ? -1 : t.length;
    }

    /** Open descriptors of {@code pid}, -1 when it is gone. */
    static int fds(int pid) {
        String[] t = new File("/proc/" + pid + "/fd").list();
        return t == null ? -1 : t.length;
    }

    /** A field of /proc/PID/status in kB or as the number it is ("VmRSS", "Threads"), -1 when gone. */
    static long status(int pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** SigCgt of {@code pid}: the signals it has handlers for (bit N-1 for signal N), 0 when gone. */
    static long signalsCaught(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("SigCgt:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** The processes whose parent is {@code ppid}. */
    static List<JinitProcess.Proc> childrenOf(int ppid) {
        List<JinitProcess.Proc> out = new ArrayList<>();
        for (JinitProcess.Proc p : JinitProcess.Proc.all()) if (p.ppid == ppid) out.add(p);
        return out;
    }

    /** True while {@code pid} exists and is not a zombie. */
    static boolean alive(int pid) {
        JinitProcess.Proc p = JinitProcess.Proc.read(pid);
        return p != null && p.state != 'Z' && p.state != 'X';
    }

    /**
     * A pids cgroup with {@code max} as its limit (cgroup v1 or v2), or a skip/failure where
     * there is none. {@link #enter} is the wrapper that puts a command in it.
     */
    static final class PidsCgroup implements AutoCloseable {
        final Path dir;

        private PidsCgroup(Path dir) {
            this.dir = dir;
        }

        static PidsCgroup create(int max) throws IOException {
            requireRoot("a pids cgroup");
            Path v1 = Path.of("/sys/fs/cgroup/pids"), v2 = Path.of("/sys/fs/cgroup");
            Path parent = null;
            if (Files.isWritable(v1.resolve("cgroup.procs"))) {
                parent = v1;
            } else if (Files.exists(v2.resolve("cgroup.subtree_control"))
                && Files.readString(v2.resolve("cgroup.subtree_control")).contains("pids")) {
                parent = v2;
            }
            if (parent == null && REQUIRED) throw new AssertionError("no pids cgroup controller (v1 /sys/fs/cgroup/pids or v2 with +pids)");
            assumeTrue(parent != null, "skipped: no pids cgroup controller here");
            Path dir = Files.createDirectory(parent.resolve("jinit-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
            Files.writeString(dir.resolve("pids.max"), Integer.toString(max));
            return new PidsCgroup(dir);
        }

        void setMax(int max) throws IOException {
            Files.writeString(dir.resolve("pids.max"), Integer.toString(max));
        }

        int current() throws IOException {
            return Integer.parseInt(Files.readString(dir.resolve("pids.current")).trim());
        }

        /** sh that moves itself into this cgroup and execs its arguments. */
        List<String> enter() {
            return List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", dir.resolve("cgroup.procs").toString());
        }

        @Override
        public void close() throws Exception {
            // whatever is left is killed, then the group removed
            for (int i = 0; i < 100; i++) {
                List<String> pids = Files.readAllLines(dir.resolve("cgroup.procs"));
                if (pids.isEmpty() && dir.toFile().delete()) return;
                for (String pid : pids) new ProcessBuilder("kill", "-9", pid.trim()).start().waitFor();
                Thread.sleep(50);
            }
        }
    }
}
