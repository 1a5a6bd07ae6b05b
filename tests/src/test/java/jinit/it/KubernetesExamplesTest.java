package jinit.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static jinit.it.Manifests.at;
import static jinit.it.Manifests.list;
import static jinit.it.Manifests.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/kubernetes without a cluster: the manifests parse, and hold what a careful operator
 * relies on (what the README and their comments promise). Each pod: jinit's grace below
 * terminationGracePeriodSeconds with room to reap; not root, read-only root file system, no
 * privilege escalation, every capability dropped; memory requested and limited for every
 * container; jinit's container probed through its --ready-file with a plain file test (no JVM
 * per probe), the file and jinit's notify socket (/tmp) on an emptyDir, every mount a volume.
 * The compose file passes `docker compose config` (or docker-compose 1.x where the plugin is
 * missing), and its jinit service's grace is below its stop_grace_period.
 * (KubernetesPodTest, in the Docker suite, runs pod.yaml's container with those settings.)
 */
class KubernetesExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"pod.yaml", "pod-shared-pid.yaml"})
    void podsAreWrittenAsACarefulOperatorWould(String file) throws Exception {
        Map<String, Object> pod = Manifests.load(file);
        assertEquals("v1", pod.get("apiVersion"), file);
        assertEquals("Pod", pod.get("kind"), file);
        assertNotNull(at(pod, "metadata", "name"), file);

        Map<String, Object> app = Manifests.container(pod, "app");
        List<String> command = new ArrayList<>(strings(app, "command"));
        assertEquals(Manifests.JINIT, command.get(0), file + ": jinit is the container's command");
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : list(app, "env")) env.put((String) e.get("name"), String.valueOf(e.get("value")));
        Duration grace = Manifests.grace(command, env);
        Duration kubelet = Duration.ofSeconds(((Number) at(pod, "spec", "terminationGracePeriodSeconds")).longValue());
        assertTrue(grace.plusSeconds(2).compareTo(kubelet) <= 0,
            file + ": jinit's grace " + grace + " at least 2 s below terminationGracePeriodSeconds " + kubelet);

        for (Map<String, Object> c : list(pod, "spec", "containers")) {
            String where = file + ", container " + c.get("name") + ": ";
            assertEquals(true, Manifests.security(pod, c, "runAsNonRoot"), where + "runAsNonRoot");
            Object uid = Manifests.security(pod, c, "runAsUser");
            assertTrue(uid instanceof Number n && n.longValue() > 0, where + "a numeric non-root runAsUser (the images' user is root)");
            assertEquals(false, at(c, "securityContext", "allowPrivilegeEscalation"), where + "allowPrivilegeEscalation");
            assertEquals(true, at(c, "securityContext", "readOnlyRootFilesystem"), where + "readOnlyRootFilesystem");
            assertEquals(List.of("ALL"), strings(c, "securityContext", "capabilities", "drop"), where + "capabilities dropped");
            assertNotNull(at(c, "resources", "requests", "memory"), where + "memory request");
            assertNotNull(at(c, "resources", "limits", "memory"), where + "memory limit");
            for (Map<String, Object> m : list(c, "volumeMounts")) {
                assertTrue(list(pod, "spec", "volumes").stream().anyMatch(v -> m.get("name").equals(v.get("name"))),
                    where + "mount " + m.get("name") + " has a volume");
            }
        }

        // readiness: the ready file, tested without starting a JVM; it and jinit's notify socket
        // (in $TMPDIR, else /tmp) are on an emptyDir, as the root file system is read-only
        String readyFile = Manifests.option(command, "--ready-file");
        assertNotNull(readyFile, file + ": jinit --ready-file");
        List<String> probe = strings(app, "readinessProbe", "exec", "command");
        assertEquals(List.of("test", "-f", readyFile), probe, file + ": the probe tests the ready file");
        String tmp = env.getOrDefault("TMPDIR", "/tmp");
        for (String path : List.of(readyFile, tmp + "/jinit-notify")) {
            assertTrue(list(app, "volumeMounts").stream().anyMatch(m -> path.startsWith(m.get("mountPath") + "/")
                    && list(pod, "spec", "volumes").stream().anyMatch(v -> v.get("name").equals(m.get("name")) && v.containsKey("emptyDir"))),
                file + ": " + path + " is on an emptyDir mount");
        }
    }

    @Test
    void theComposeFileIsValidAndItsGraceFits() throws Exception {
        Map<String, Object> compose = Manifests.load("compose.yaml");
        Object svc = at(compose, "services", "with-jinit");
        List<String> entrypoint = strings(svc, "entrypoint");
        assertEquals(Manifests.JINIT, entrypoint.get(0));
        @SuppressWarnings("unchecked")
        Map<String, String> env = (Map<String, String>) at(svc, "environment");
        Duration grace = Manifests.grace(entrypoint, env);
        Duration docker = Manifests.duration((String) at(svc, "stop_grace_period"));
        assertTrue(grace.plusSeconds(2).compareTo(docker) <= 0, "jinit's grace " + grace + " at least 2 s below stop_grace_period " + docker);
        assertEquals(List.of("CMD", "test", "-f", Manifests.option(entrypoint, "--ready-file")), strings(svc, "healthcheck", "test"));
        assertEquals(true, at(svc, "read_only"));
        assertEquals(List.of("ALL"), strings(svc, "cap_drop"));
        assertFalse(String.valueOf(at(svc, "user")).startsWith("0"), "not root");

        // what the README tells users to run: `docker compose config`; docker-compose 1.x here
        List<String> config = available("docker", "compose", "version") ? List.of("docker", "compose", "config", "-q")
            : available("docker-compose", "version") ? List.of("docker-compose", "config", "-q") : null;
        if (config == null && "true".equals(System.getenv("REQUIRE_DOCKER"))) {
            throw new AssertionError("REQUIRE_DOCKER=true but neither `docker compose` nor docker-compose is installed");
        }
        assumeTrue(config != null, "neither `docker compose` nor docker-compose is installed: compose.yaml checked for its fields only");
        Process p = new ProcessBuilder(config).directory(Manifests.DIR.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", config) + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", config) + ":\n" + out);
    }

    private static boolean available(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
