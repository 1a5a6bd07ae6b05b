package jinit.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static jinit.it.JinitProcess.LAUNCHER;
import static jinit.it.JinitProcess.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's own shell variables never touch the caller's environment: a caller variable
 * that has the name of one of them reaches the child with the caller's value, and one the
 * caller did not set does not appear. (sh imports every variable of its environment as an
 * exported one: a launcher that assigned a variable the caller happened to export handed its own
 * value on to the JVM, and so to the child.) The names are the launcher's old ones and every
 * _jinit_* name the built launcher contains, so a variable added to it later is covered too.
 */
class LauncherVariablesTest {
    static final Duration T = Duration.ofSeconds(60);

    /** The names the launcher's variables had before they were all called _jinit_*. */
    static final List<String> OLD_NAMES = List.of("pending", "s", "self", "home", "lib", "java", "rtv", "cds", "k", "v",
        "blk", "ign", "fds", "drop", "closed", "procok", "spid", "rest", "n", "f", "fl", "opwd", "big", "a");

    @TempDir Path dir;

    /** How the launcher is run. */
    enum Way {
        /** As a program: its #!/bin/sh line picks the shell. */
        PLAIN(List.of(), List.of(), Map.of()),
        /** Through dash, the /bin/sh of Debian and Ubuntu, whatever this machine's /bin/sh is. */
        DASH(List.of("dash"), List.of(), Map.of()),
        /** Through busybox ash, the /bin/sh of busybox images. */
        BUSYBOX(List.of("busybox", "sh"), List.of(), Map.of()),
        /** Through bash started as sh (POSIX mode), the /bin/sh of RHEL-like systems. */
        BASH(List.of("bash"), List.of(), Map.of()),
        /** Without GNU env's --block-signal: jinit re-executes its JVM (Stage0). */
        REEXEC(List.of(), List.of(), Map.of("JINIT_NO_ENV_BLOCK", "1")),
        /** As PID 1 of a new PID namespace. */
        PID1(List.of(), List.of("unshare", "--pid", "--fork", "--mount-proc"), Map.of()),
        /** Without /proc: the launcher sets LD_ORIGIN_PATH and records it for removal. */
        NO_PROC(List.of(), NoProcTest.NO_PROC, Map.of());

        final List<String> shell;
        final List<String> wrapper;
        final Map<String, String> env;

        Way(List<String> shell, List<String> wrapper, Map<String, String> env) {
            this.shell = shell;
            this.wrapper = wrapper;
            this.env = env;
        }

        void require() {
            if (this == DASH) Harsh.requireTool("dash", "the launcher must run in dash");
            if (this == BUSYBOX) Harsh.requireTool("busybox", "the launcher must run in busybox's ash");
            if (this == BASH) Harsh.requireTool("bash", "the launcher must run in bash as sh");
            if (this == PID1) JinitProcess.requirePid1Support();
            if (this == NO_PROC) Harsh.requireRoot("a mount namespace without /proc");
        }

        /**
         * The shell command that runs the launcher (none: its #!/bin/sh line picks it); bash
         * through a link named sh in {@code dir}, so that it starts as /bin/sh would.
         */
        List<String> shell(Path dir) throws IOException {
            if (this != BASH) return shell;
            Path sh = dir.resolve("sh");
            if (!Files.exists(sh, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(sh, Path.of(Harsh.requireTool("bash", "the launcher must run in bash as sh")));
            }
            return List.of(sh.toString());
        }
    }

    /** Every name the launcher uses for a variable of its own, read from the launcher itself. */
    static TreeSet<String> launcherNames() throws IOException {
        JinitProcess.requireLauncher();
        TreeSet<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("_jinit_[A-Za-z0-9_]+").matcher(Files.readString(LAUNCHER, StandardCharsets.ISO_8859_1));
        while (m.find()) names.add(m.group());
        return names;
    }

    /** The names under test: the launcher's old and current internal names. */
    static TreeSet<String> names() throws IOException {
        TreeSet<String> names = new TreeSet<>(OLD_NAMES);
        names.addAll(launcherNames());
        return names;
    }

    /** A value no launcher would compute, with what quoting and eval could break; some are empty. */
    static String value(String name) {
        if (name.endsWith("a") || name.endsWith("fds")) return "";
        return "caller's " + name + ": 'q' \"d\" $HOME `id` \\ * ?\n;end";
    }

    /** Starts the launcher with exactly {@code callerEnv}; the environment its child saw. */
    private Map<String, String> childEnvironment(Way way, boolean allexport, Map<String, String> callerEnv) throws Exception {
        List<String> cmd = new ArrayList<>(JinitProcess.CLEAN_MASK);
        cmd.addAll(way.wrapper);
        List<String> shell = way.shell(dir);
        if (allexport) {
            cmd.addAll(shell.isEmpty() ? List.of("/bin/sh") : shell);
            cmd.add("-a");
        } else {
            cmd.addAll(shell);
        }
        cmd.add(LAUNCHER.toString());
        cmd.addAll(List.of("--", "env", "-0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(callerEnv);
        Path out = dir.resolve("childenv"), err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "timed out: " + cmd);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), cmd + ": " + read(err));
        Map<String, String> env = new TreeMap<>();
        for (String e : Files.readString(out, StandardCharsets.ISO_8859_1).split("\0")) {
            if (e.isEmpty()) continue;
            int eq = e.indexOf('=');
            env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return env;
    }

    private static Map<String, String> baseEnvironment(Way way) {
        Map<String, String> env = new TreeMap<>(way.env);
        env.put("PATH", System.getenv("PATH"));
        env.put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        return env;
    }

    /** The child's variables among {@code names}, and every one it has that is jinit's (JINIT_*, _jinit_*). */
    private static Map<String, String> relevant(Map<String, String> env, TreeSet<String> names) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (names.contains(k) || k.startsWith("JINIT_") || k.startsWith("_jinit_")) out.put(k, v);
        });
        return out;
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void callerVariablesNamedLikeTheLaunchersOwnReachTheChildUnchanged(Way way) throws Exception {
        way.require();
        TreeSet<String> names = names();
        Map<String, String> caller = baseEnvironment(way);
        for (String n : names) caller.put(n, value(n));
        Map<String, String> child = childEnvironment(way, false, caller);
        assertEquals(relevant(caller, names), relevant(child, names));
        // and the names above did cover the launcher's current ones
        assertTrue(launcherNames().size() >= 10, "the launcher's variables are named _jinit_*: " + launcherNames());
    }

    /**
     * A name the caller did not set is not set in the child, even when the launcher's shell
     * exports every variable it assigns (sh -a; bash does so when SHELLOPTS=allexport is
     * exported). The caller's own variables still come through unchanged.
     */
    @ParameterizedTest
    @EnumSource(value = Way.class, names = {"PLAIN", "DASH", "BUSYBOX", "BASH"})
    void namesTheCallerDidNotSetStayUnsetEvenWhenTheShellExportsEverything(Way way) throws Exception {
        way.require();
        TreeSet<String> names = names();
        Map<String, String> caller = baseEnvironment(way);
        assertEquals(relevant(caller, names), relevant(childEnvironment(way, false, caller), names), "none set");
        assertEquals(relevant(caller, names), relevant(childEnvironment(way, true, caller), names), "none set, sh -a");
        // half of them set, under sh -a
        int i = 0;
        for (String n : names) if (i++ % 2 == 0) caller.put(n, value(n));
        assertEquals(relevant(caller, names), relevant(childEnvironment(way, true, caller), names), "some set, sh -a");
    }

    /**
     * bash and busybox ash set and export SHLVL (1, or one more than the caller's; bash's exec
     * takes one off again), dash leaves it alone: under each, the child gets the caller's SHLVL
     * exactly, or none when the caller had none, PWD likewise, and the launcher writes nothing
     * to stderr (bash warns about NUL bytes in a command substitution's output).
     */
    @ParameterizedTest
    @EnumSource(value = Way.class, names = {"PLAIN", "DASH", "BUSYBOX", "BASH"})
    void theChildGetsTheCallersShellLevelOrNone(Way way) throws Exception {
        way.require();
        // SHLVL, PWD: none; a number, the real cwd; empty, another directory; not a number, ending in a newline
        String[][] cases = {{null, null}, {"7", dir.toString()}, {"", "/"}, {"x 2\n", null}};
        for (String[] c : cases) {
            Map<String, String> caller = baseEnvironment(way);
            // without a locale, python3 (CLEAN_MASK) would set LC_CTYPE for what it runs (PEP 538)
            caller.put("LC_CTYPE", "C.UTF-8");
            if (c[0] != null) caller.put("SHLVL", c[0]);
            if (c[1] != null) caller.put("PWD", c[1]);
            Map<String, String> child = childEnvironment(way, false, caller);
            String what = way + ", the caller's SHLVL " + (c[0] == null ? "unset" : "'" + c[0] + "'") + " and PWD " + c[1];
            assertEquals(c[0], child.get("SHLVL"), what);
            assertEquals(c[1], child.get("PWD"), what);
            assertEquals(caller, child, what + ": the child's environment is the caller's");
            assertEquals("", read(dir.resolve("err")), what + ": the launcher's stderr");
        }
    }
}
