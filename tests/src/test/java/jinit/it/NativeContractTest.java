package jinit.it;

import jinit.sys.Backend;
import jinit.sys.Native;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The contract of {@link Native} ({@link NativeContract} and {@link SocketContract}) checked
 * against the backends of this JVM: the one {@link Backend#create()} gives it (jnr on JDK
 * 17-21, FFM on JDK 22+) and, on JDK 22+, jnr as well (-Djinit.native=jnr). The native
 * executable's backend runs the same checks in its image: {@code NativeContractImageTest}.
 *
 * <p>Surefire gives this class a JVM of its own: reapAny is waitpid(-1), and this JVM starts
 * no process except through the backend under test.
 */
class NativeContractTest {

    @TestFactory
    Stream<DynamicContainer> contract() {
        return NativeBackends.names().map(which -> {
            Native sys = NativeBackends.get(which);
            String expected = which.equals("jnr") || Runtime.version().feature() < 22 ? "jnr" : "ffm";
            List<NativeContract.Check> checks = new ArrayList<>(NativeContract.checks(expected));
            checks.addAll(SocketContract.checks());
            return DynamicContainer.dynamicContainer(which + " (" + expected + ")",
                checks.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c, sys))));
        });
    }

    private static void run(NativeContract.Check check, Native sys) throws Exception {
        File dir = Files.createTempDirectory("jinit-contract").toFile();
        try {
            check.body().run(sys, dir);
        } finally {
            delete(dir);
        }
    }

    static void delete(File dir) throws IOException {
        try (Stream<java.nio.file.Path> all = Files.walk(dir.toPath())) {
            all.sorted(Comparator.reverseOrder()).map(java.nio.file.Path::toFile).forEach(File::delete);
        }
    }
}
