package jinit.it;

import jinit.sys.Backend;
import jinit.sys.Native;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@link Native} backends of this JVM that NativeContractTest checks: "default" is
 * what {@link Backend#create()} gives this JVM (jnr on JDK 17-21, FFM on JDK 22+); "jnr",
 * chosen with -Djinit.native=jnr, is selectable on JDK 22+ only.
 */
final class NativeBackends {
    private static final Map<String, Native> CREATED = new HashMap<>();

    private NativeBackends() {}

    /** The backends to check on this JVM, by name. */
    static Stream<String> names() {
        return Runtime.version().feature() >= 22 ? Stream.of("default", "jnr") : Stream.of("default");
    }

    /** The backend named {@code which}, created once (with jinit.native set as it asks, then restored). */
    static synchronized Native get(String which) {
        return CREATED.computeIfAbsent(which, w -> {
            String saved = System.getProperty("jinit.native");
            try {
                if (w.equals("jnr")) System.setProperty("jinit.native", "jnr");
                else System.clearProperty("jinit.native");
                return Backend.create();
            } finally {
                if (saved == null) System.clearProperty("jinit.native");
                else System.setProperty("jinit.native", saved);
            }
        });
    }
}
