package jinit.it;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes and compose examples (examples/kubernetes) as data: parsed YAML, and what jinit
 * makes of a container's command line. Used by KubernetesExamplesTest (the fields an operator
 * relies on) and by the Docker suite's KubernetesPodTest (the pod's container run by Docker).
 */
public final class Manifests {
    public static final Path DIR = Path.of(System.getProperty("jinit.repository", "..")).resolve("examples/kubernetes").toAbsolutePath().normalize();
    public static final String JINIT = "/opt/jinit/bin/jinit";

    private Manifests() {}

    public static Map<String, Object> load(String name) throws IOException {
        try (Reader r = Files.newBufferedReader(DIR.resolve(name))) {
            return new Yaml().load(r);
        }
    }

    /** The node at {@code path} (map keys, or list indexes as numbers), or null. */
    public static Object at(Object node, Object... path) {
        for (Object key : path) {
            if (node instanceof Map<?, ?> m) node = m.get(key);
            else if (node instanceof List<?> l && key instanceof Integer i && i < l.size()) node = l.get(i);
            else return null;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object node, Object... path) {
        Object l = at(node, path);
        return l == null ? List.of() : (List<Map<String, Object>>) l;
    }

    @SuppressWarnings("unchecked")
    public static List<String> strings(Object node, Object... path) {
        Object l = at(node, path);
        return l == null ? List.of() : (List<String>) l;
    }

    /** The container named {@code name} of a pod manifest. */
    public static Map<String, Object> container(Map<String, Object> pod, String name) {
        return list(pod, "spec", "containers").stream().filter(c -> name.equals(c.get("name"))).findFirst()
            .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** A container's value of {@code key}: its own securityContext's, else the pod's. */
    public static Object security(Map<String, Object> pod, Map<String, Object> container, String key) {
        Object v = at(container, "securityContext", key);
        return v != null ? v : at(pod, "spec", "securityContext", key);
    }

    /** jinit's value of an option with a value ({@code -t} / {@code --grace}) in its command line, or null. */
    public static String option(List<String> command, String... names) {
        for (int i = 1; i < command.size() - 1 && !command.get(i).equals("--"); i++) {
            if (List.of(names).contains(command.get(i))) return command.get(i + 1);
        }
        return null;
    }

    /** jinit's grace period for this command line and environment: -t, else JINIT_GRACE, else 8 s. */
    public static Duration grace(List<String> command, Map<String, String> env) {
        String t = option(command, "-t", "--grace");
        if (t == null) t = env.get("JINIT_GRACE");
        return t == null ? Duration.ofSeconds(8) : duration(t);
    }

    /** jinit's durations: 10s, 500ms, 2m, or a bare number of seconds; also compose's 1m30s. */
    public static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.strip());
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
        }
        if (end == 0 || end != text.strip().length()) throw new IllegalArgumentException("not a duration: " + text);
        return d;
    }
}
