package jinit.it;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract of {@code jinit.sys.Native} checked against the native executable's backend
 * ({@code @CFunction}, static musl): the same checks as {@link NativeContractTest}, run inside
 * a native image ({@code NativeContractMain}, built like jinit's executable) whose report, one
 * line per check, becomes one test each here.
 *
 * <p>Without the image (no native builder on this machine) the tests are skipped with the
 * reason; with {@code -Djinit.requireNative=true} or {@code JINIT_REQUIRE_NATIVE=true} (CI) they
 * fail instead.
 */
class NativeContractImageTest {
    static final Path IMAGE = Path.of(System.getProperty("jinit.contractImage", "target/native/contract")).toAbsolutePath().normalize();

    static boolean required() {
        return "true".equals(System.getProperty("jinit.requireNative")) || "true".equals(System.getenv("JINIT_REQUIRE_NATIVE"));
    }

    @TestFactory
    Stream<DynamicTest> nativeBackend() throws Exception {
        if (!Files.isExecutable(IMAGE)) {
            String why = "no contract image at " + IMAGE + " (mvn package builds it where a native builder exists)";
            if (required()) fail(why + "; jinit.requireNative=true");
            assumeTrue(false, why + ": skipped");
        }
        Process p = new ProcessBuilder(IMAGE.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        boolean exited = p.waitFor(300, TimeUnit.SECONDS);
        String stderr = exited ? new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (!exited) p.destroyForcibly();
        List<DynamicTest> tests = new ArrayList<>();
        int reported = 0;
        boolean done = false;
        for (String line : lines) {
            int space = line.indexOf(' '), colon = line.indexOf(": ");
            String kind = space < 0 ? line : line.substring(0, space);
            String name = colon < 0 ? line.substring(space + 1) : line.substring(space + 1, colon);
            String why = colon < 0 ? "" : line.substring(colon + 2).replace("\\n", "\n").replace("\\\\", "\\");
            switch (kind) {
                case "ok" -> tests.add(DynamicTest.dynamicTest(name, () -> { }));
                case "fail" -> tests.add(DynamicTest.dynamicTest(name, () -> fail(why)));
                case "skip" -> tests.add(DynamicTest.dynamicTest(name, () -> assumeTrue(false, why)));
                case "done" -> done = Integer.parseInt(name) == reported;
                default -> tests.add(DynamicTest.dynamicTest("unexpected output", () -> fail(line)));
            }
            if (!kind.equals("done")) reported++;
        }
        int exit = exited ? p.exitValue() : -1;
        boolean complete = done;
        tests.add(DynamicTest.dynamicTest("the image ran every check to its end", () -> {
            assertTrue(exited, "the contract image did not finish within 300 s");
            assertTrue(complete, "the report ended early (exit " + exit + "); stderr:\n" + stderr);
            assertEquals(0, exit, "exit status; stderr:\n" + stderr);
        }));
        return tests.stream();
    }
}
