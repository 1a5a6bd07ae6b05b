package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static jinit.it.JinitProcess.LAUNCHER;
import static jinit.it.JinitProcess.read;
import static jinit.it.JinitProcess.waitForFile;
import static jinit.it.JinitProcess.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child sees what jinit was started with: arguments, environment, descriptors, signal state, terminal. */
class PassThroughTest {
    static final Duration T = Duration.ofSeconds(30);

    @TempDir Path dir;

    /** Runs {@code sh -c script} with the launcher in $J and the test dir in $T; its exit code. */
    private int sh(String script, Map<String, String> env) throws Exception {
        JinitProcess.requireLauncher();
        ProcessBuilder pb = new ProcessBuilder(withCleanMask("sh", "-c", script)).directory(dir.toFile());
        pb.environment().put("J", LAUNCHER.toString());
        pb.environment().put("T", dir.toString());
        pb.environment().put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "timed out: " + script);
        return p.exitValue();
    }

    static List<String> withCleanMask(String... cmd) {
        List<String> full = new java.util.ArrayList<>(JinitProcess.CLEAN_MASK);
        full.addAll(Arrays.asList(cmd));
        return full;
    }

    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void argumentsAndEnvironmentArePassedByteForByte(JinitProcess.Mode mode) throws Exception {
        if (mode == JinitProcess.Mode.PID1) JinitProcess.requirePid1Support();
        String prefix = mode == JinitProcess.Mode.PID1 ? "unshare --pid --fork --mount-proc " : "";
        for (String lang : new String[] {"C", "C.UTF-8", ""}) {
            String script = "A=$(printf 'a\\377b\\303\\251'); export X=\"$(printf 'x\\377\\n y')\" LANG=" + lang + "; "
                + (lang.isEmpty() ? "unset LANG; " : "")
                + "exec " + prefix + "\"$J\" -- sh -c 'printf %s \"$1\" > \"$T/arg\"; printf %s \"$X\" > \"$T/env\"; "
                + "printf %s \"$2\" > \"$T/empty\"; printf %s \"$#\" > \"$T/argc\"' sh \"$A\" ''";
            assertEquals(0, sh(script, Map.of()), read(dir.resolve("err")));
            assertArrayEquals(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3, (byte) 0xa9}, Files.readAllBytes(dir.resolve("arg")), "LANG=" + lang);
            assertArrayEquals(new byte[] {'x', (byte) 0xff, '\n', ' ', 'y'}, Files.readAllBytes(dir.resolve("env")), "LANG=" + lang);
            assertEquals("", read(dir.resolve("empty")));
            assertEquals("2", read(dir.resolve("argc")), "the empty argument is kept");
        }
    }

    /**
     * The program path is bytes too: a program named with bytes that are not UTF-8, given as a
     * path and found through a PATH entry with such bytes, under every locale, through the
     * launcher and through the re-exec (JINIT_NO_ENV_BLOCK) that has no GNU env.
     */
    @ParameterizedTest
    @EnumSource(JinitProcess.Mode.class)
    void theProgramPathIsPassedByteForByte(JinitProcess.Mode mode) throws Exception {
        if (mode == JinitProcess.Mode.PID1) JinitProcess.requirePid1Support();
        String prefix = mode == JinitProcess.Mode.PID1 ? "unshare --pid --fork --mount-proc " : "";
        String setup = "d=\"$T/$(printf 'd\\377\\351')\"; mkdir -p \"$d\"; p=\"$d/$(printf 'p\\377')\"; "
            + "printf '#!/bin/sh\\nprintf %%s \"$0|$1\" > \"$T/arg0\"\\n' > \"$p\"; chmod +x \"$p\"; ";
        for (String reexec : new String[] {"", "JINIT_NO_ENV_BLOCK=1 "}) {
            for (String lang : new String[] {"LANG=C", "LANG=C.UTF-8", "unset LANG LC_ALL;"}) {
                java.nio.file.Files.deleteIfExists(dir.resolve("arg0"));
                assertEquals(0, sh(setup + (lang.startsWith("unset") ? lang : "export " + lang + ";") + " " + reexec
                    + "exec " + prefix + "\"$J\" -- \"$p\" \"$(printf 'x\\377')\"", Map.of()), read(dir.resolve("err")));
                byte[] expected = (dir + "/d\u00ff\u00e9/p\u00ff|x\u00ff").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                assertArrayEquals(expected, Files.readAllBytes(dir.resolve("arg0")), reexec + lang + ": " + read(dir.resolve("err")));

                java.nio.file.Files.deleteIfExists(dir.resolve("arg0"));
                assertEquals(0, sh(setup + (lang.startsWith("unset") ? lang : "export " + lang + ";") + " " + reexec
                    + "PATH=\"$d:$PATH\" exec " + prefix + "\"$J\" -- \"$(printf 'p\\377')\" y", Map.of()), read(dir.resolve("err")));
                // a script's $0 is the file the kernel ran: the one found in PATH
                assertArrayEquals((dir + "/d\u00ff\u00e9/p\u00ff|y").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    Files.readAllBytes(dir.resolve("arg0")), "found in PATH: " + reexec + lang);
            }
        }
    }

    /** Arguments and environment survive the re-exec of the JVM (no GNU env) just as well. */
    @Test
    void argumentsAndEnvironmentAreBytesThroughTheReexecToo() throws Exception {
        for (String lang : new String[] {"C", "C.UTF-8"}) {
            String script = "A=$(printf 'a\\377b'); export X=\"$(printf 'x\\377\\n y')\" LANG=" + lang + " JINIT_NO_ENV_BLOCK=1; "
                + "exec \"$J\" -- sh -c 'printf %s \"$1\" > \"$T/arg\"; printf %s \"$X\" > \"$T/env\"; "
                + "printf %s \"${JINIT_NO_ENV_BLOCK-unset}\" > \"$T/own\"' sh \"$A\"";
            assertEquals(0, sh(script, Map.of()), read(dir.resolve("err")));
            assertArrayEquals(new byte[] {'a', (byte) 0xff, 'b'}, Files.readAllBytes(dir.resolve("arg")), "LANG=" + lang);
            assertArrayEquals(new byte[] {'x', (byte) 0xff, '\n', ' ', 'y'}, Files.readAllBytes(dir.resolve("env")), "LANG=" + lang);
            assertEquals("1", read(dir.resolve("own")), "the caller's own variables stay");
            assertEquals("", read(dir.resolve("err")));
        }
    }

    @Test
    void theApplicationsJvmOptionsAreTheApplications() throws Exception {
        Map<String, String> env = Map.of(
            "JAVA_TOOL_OPTIONS", "-javaagent:/nonexistent/agent.jar",
            "JDK_JAVA_OPTIONS", "--add-opens=bogus",
            "_JAVA_OPTIONS", "-Xmx1g",
            "_JAVA_SR_SIGNUM", "44");
        // were jinit's JVM to read them, it would fail to start (no such agent); also through the re-exec
        for (String reexec : new String[] {"", "JINIT_NO_ENV_BLOCK=1 "}) {
            assertEquals(0, sh(reexec + "exec \"$J\" -- sh -c 'env > \"$T/childenv\"'", env), read(dir.resolve("err")));
            List<String> childEnv = Arrays.asList(read(dir.resolve("childenv")).split("\n"));
            for (Map.Entry<String, String> e : env.entrySet()) {
                assertTrue(childEnv.contains(e.getKey() + "=" + e.getValue()), reexec + e + " in " + childEnv);
            }
            assertEquals("", read(dir.resolve("err")), reexec);
        }
        List<String> childEnv = Arrays.asList(read(dir.resolve("childenv")).split("\n"));
        for (Map.Entry<String, String> e : env.entrySet()) {
            assertTrue(childEnv.contains(e.getKey() + "=" + e.getValue()), e + " in " + childEnv);
        }
        assertFalse(childEnv.stream().anyMatch(l -> l.startsWith("JINIT_LAUNCH=") || l.startsWith("JINIT_SAVED_")), childEnv.toString());
        assertFalse(read(dir.resolve("err")).contains("Picked up"), read(dir.resolve("err")));
        assertEquals("", read(dir.resolve("err")));
    }

    @Test
    void theLaunchersOwnVariablesDoNotReachTheChild() throws Exception {
        assertEquals(0, sh("exec env -i PATH=\"$PATH\" A=1 JINIT_JAVA_HOME=\"$JINIT_JAVA_HOME\" T=\"$T\" \"$J\" -- env > \"$T/childenv\"", Map.of()));
        assertEquals(List.of("A=1", "JINIT_JAVA_HOME=" + JinitProcess.JAVA_HOME, "PATH=" + System.getenv("PATH"), "T=" + dir),
            Arrays.stream(read(dir.resolve("childenv")).split("\n")).sorted().toList(), "sh's PWD is not added");
        assertEquals(0, sh("exec env -i PWD=/elsewhere JINIT_JAVA_HOME=\"$JINIT_JAVA_HOME\" \"$J\" -- /usr/bin/env > \"$T/childenv\"", Map.of()));
        assertEquals(List.of("JINIT_JAVA_HOME=" + JinitProcess.JAVA_HOME, "PWD=/elsewhere"),
            Arrays.stream(read(dir.resolve("childenv")).split("\n")).sorted().toList(), "the caller's PWD is kept, even if wrong");
    }

    @Test
    void descriptorsAreExactlyTheInheritedOnes() throws Exception {
        assertEquals(0, sh("exec 5</dev/null 7>\"$T/seven\"; exec \"$J\" -- ls /proc/self/fd > \"$T/fds\"", Map.of()), read(dir.resolve("err")));
        // 3 is ls's own directory handle
        assertEquals(List.of("0", "1", "2", "3", "5", "7"), Arrays.stream(read(dir.resolve("fds")).split("\n")).sorted().toList());
        assertEquals(0, sh("exec \"$J\" -- ls /proc/self/fd > \"$T/fds\"", Map.of()));
        assertEquals(List.of("0", "1", "2", "3"), Arrays.stream(read(dir.resolve("fds")).split("\n")).sorted().toList());
    }

    @Test
    void signalMaskAndIgnoredSignalsAreTheOnesJinitWasStartedWith() throws Exception {
        assertEquals(0, sh("exec env --ignore-signal=HUP,USR1,PIPE \"$J\" -- cat /proc/self/status > \"$T/sig\"", Map.of()),
            read(dir.resolve("err")));
        String sig = read(dir.resolve("sig"));
        assertTrue(sig.contains("SigBlk:\t0000000000000000"), sig);
        assertTrue(sig.contains("SigIgn:\t0000000000001201"), sig);
        assertTrue(sig.contains("SigCgt:\t0000000000000000"), sig);
        // a blocked signal stays blocked, as with tini
        assertEquals(0, sh("exec env --block-signal=USR2 \"$J\" -- cat /proc/self/status > \"$T/sig\"", Map.of()));
        assertTrue(read(dir.resolve("sig")).contains("SigBlk:\t0000000000000800"), read(dir.resolve("sig")));
    }

    @Test
    void theChildIsTheTerminalsForegroundGroupAndCtrlCExits130() throws Exception {
        JinitProcess.requireLauncher();
        String child = "import os, signal; s = open('/proc/self/stat').read(); f = s[s.rindex(')') + 2:].split(); "
            + "open(os.environ['T'] + '/tty', 'w').write(f[2] + ' ' + f[5] + ' ' + str(os.getpid())); "
            + "open(os.environ['T'] + '/ready', 'w').close(); signal.pause()";
        ProcessBuilder pb = new ProcessBuilder(withCleanMask("script", "-qefc", "\"$J\" -- python3 -c \"$CHILD\"", "/dev/null")).directory(dir.toFile());
        pb.environment().put("J", LAUNCHER.toString());
        pb.environment().put("T", dir.toString());
        pb.environment().put("CHILD", child);
        pb.environment().put("JINIT_JAVA_HOME", JinitProcess.JAVA_HOME);
        pb.redirectOutput(dir.resolve("out").toFile()).redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            waitForFile(dir.resolve("ready"));
            String[] pgrpTpgidPid = read(dir.resolve("tty")).split(" ");
            assertEquals(pgrpTpgidPid[2], pgrpTpgidPid[0], "the child leads its own process group");
            assertEquals(pgrpTpgidPid[0], pgrpTpgidPid[1], "that group is the terminal's foreground group");
            in.write(3); // Ctrl-C
            in.flush();
            assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), "Ctrl-C did not stop it: " + read(dir.resolve("out")));
            assertEquals(130, p.exitValue(), read(dir.resolve("out")));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void startedWithJavaJarDirectlyItStillWorks() throws Exception {
        Path jar = LAUNCHER.resolveSibling("lib").resolve("jinit.jar");
        Programs.install(dir, "trap.py");
        ProcessBuilder pb = new ProcessBuilder(withCleanMask(JinitProcess.JAVA_HOME + "/bin/java", "-jar", jar.toString(), "--",
            "python3", dir.resolve("trap.py").toString())).directory(dir.toFile());
        pb.environment().put("T", dir.toString());
        pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        try {
            waitForFile(dir.resolve("ready"));
            for (String[] s : new String[][] {{"USR2", "12"}, {"HUP", "1"}, {"QUIT", "3"}}) {
                JinitProcess.run("kill", "-" + s[0], Long.toString(p.pid()));
                waitUntil(Duration.ofSeconds(10), () -> read(dir.resolve("got")).contains(s[1] + "\n"), s[0]);
            }
            JinitProcess.run("kill", "-TERM", Long.toString(p.pid()));
            assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), read(dir.resolve("err")));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void parentDeathSignalStopsJinitAndItsChild() throws Exception {
        Programs.install(dir, "trap.py");
        // the intermediate sh is jinit's parent; when it exits, jinit gets TERM and relays it
        assertEquals(0, sh("\"$J\" -p TERM -- python3 \"$T/trap.py\" & "
            + "while [ ! -e \"$T/ready\" ]; do sleep 0.05; done; exit 0", Map.of()));
        waitUntil(Duration.ofSeconds(20), () -> read(dir.resolve("got")).contains("15\n"), "TERM at the child after jinit's parent died");
    }
}
