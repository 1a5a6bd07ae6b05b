package jinit.it.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import jinit.it.Manifests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static jinit.it.Manifests.at;
import static jinit.it.Manifests.list;
import static jinit.it.Manifests.strings;
import static jinit.it.docker.Containers.exitCode;
import static jinit.it.docker.Containers.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/kubernetes/pod.yaml's container, run by Docker as a kubelet would run it (no cluster
 * here): its command and args, the user and group of its security context, a read-only root
 * file system, every capability dropped, no privilege escalation (no-new-privileges), its
 * emptyDir mounts as tmpfs, its memory request as the limit. The image is the
 * python-multiprocessing example's, as the manifest says. The readiness probe's command, run in
 * the container, succeeds once the app has sent READY=1; a stop with the pod's
 * terminationGracePeriodSeconds ends every process through its handler, exit 0.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class KubernetesPodTest {
    private static String image;

    @BeforeAll
    static void image() throws Exception {
        image = Images.example("python-multiprocessing", "PYTHON_IMAGE", Images.PYTHON);
    }

    @Test
    void thePodsContainerRunsWithItsSecurityContextAndGetsReadyAndStopsCleanly() throws Exception {
        Map<String, Object> pod = Manifests.load("pod.yaml");
        Map<String, Object> app = Manifests.container(pod, "app");
        String user = Manifests.security(pod, app, "runAsUser") + ":" + Manifests.security(pod, app, "runAsGroup");
        Map<String, String> tmpfs = new HashMap<>();
        for (Map<String, Object> m : list(app, "volumeMounts")) {
            Object volume = list(pod, "spec", "volumes").stream().filter(v -> m.get("name").equals(v.get("name"))).findFirst().orElseThrow();
            assertTrue(at(volume, "emptyDir") != null, "an emptyDir: " + volume);
            tmpfs.put((String) m.get("mountPath"), "rw,size=1m,mode=1777");
        }
        long memory = mebibytes((String) at(app, "resources", "requests", "memory"));
        List<String> command = strings(app, "command"), args = strings(app, "args"), probe = strings(app, "readinessProbe", "exec", "command");
        int kubeletGrace = ((Number) at(pod, "spec", "terminationGracePeriodSeconds")).intValue();
        assertEquals(true, at(app, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(false, at(app, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), strings(app, "securityContext", "capabilities", "drop"));

        LogLines logs = new LogLines();
        try (GenericContainer<?> c = Containers.container(image, logs).withCreateContainerCmdModifier(cmd -> {
            HostConfig h = cmd.getHostConfig() != null ? cmd.getHostConfig() : new HostConfig();
            cmd.withUser(user).withEntrypoint(command).withCmd(args).withHostConfig(h.withReadonlyRootfs(true)
                .withCapDrop(Capability.ALL).withSecurityOpts(List.of("no-new-privileges")).withTmpFs(tmpfs)
                .withMemory(memory * 1024 * 1024).withMemorySwap(memory * 1024 * 1024));
        })) {
            c.start();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Container.ExecResult ready;
            while ((ready = c.execInContainer(probe.toArray(String[]::new))).getExitCode() != 0) {
                assertTrue(System.nanoTime() < end, "the readiness probe " + probe + " never succeeded; output:\n" + logs);
                Thread.sleep(200);
            }
            assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("ready agent ")), logs.toString());
            Container.ExecResult uid = c.execInContainer("sh", "-c", "grep '^Uid:' /proc/1/status; touch /probe-write 2>&1 || echo read-only");
            assertTrue(uid.getStdout().startsWith("Uid:\t65534\t"), "jinit runs as the pod's user: " + uid);
            assertTrue(uid.getStdout().contains("read-only"), "the root file system is read-only: " + uid);

            Duration took = Containers.dockerStop(c, kubeletGrace);

            String out = c.getLogs();
            assertEquals(0, exitCode(c), "app.py's own status; output:\n" + out);
            assertEquals(5, out.lines().filter(l -> l.endsWith("SIGTERM, cleaning up")).count(), "workers, helpers and the agent ran their handlers:\n" + out);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "stopped in " + seconds(took) + ", at once");
        }
    }

    private static long mebibytes(String quantity) {
        assertTrue(quantity.endsWith("Mi"), "a memory quantity in Mi: " + quantity);
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }
}
