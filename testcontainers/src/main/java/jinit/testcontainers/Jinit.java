package jinit.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a Testcontainers container under jinit, stops it the way {@code docker stop} does, and
 * tells whether it stopped clean.
 *
 * <pre>{@code
 * static final Jinit JINIT = Jinit.defaults().withGrace(Duration.ofSeconds(5));
 *
 * @Container
 * static final PostgreSQLContainer<?> db = JINIT.applyTo(new PostgreSQLContainer<>("postgres:16"));
 *
 * @Test
 * void stopsClean() {
 *     JinitStop stop = JINIT.stop(db);      // SIGTERM, the grace period, then SIGKILL
 *     assertEquals(0, stop.exitCode());
 *     stop.assertNothingLeft();             // fails naming what had to be killed, and zombies
 * }
 * }</pre>
 *
 * {@link #applyTo} works on any {@link GenericContainer} (a module's class or your own) before
 * it starts: it copies jinit's native executable into the container (as {@value #EXECUTABLE};
 * the image needs no shell, no JVM and no change) and makes it the entry point, with the
 * image's own entry point and command, or the ones you set, as the program jinit runs. A Jinit
 * is immutable: the {@code with...} methods return a new one.
 */
public final class Jinit {
    /** Where jinit's native executable is copied in every container. */
    public static final String EXECUTABLE = "/.jinit/jinit";
    /** jinit's control socket, in the container, unless {@link #withControlSocket} moves it. */
    public static final String CONTROL_SOCKET = "/.jinit/control.sock";
    /** The label {@link #applyTo} gives a container: jinit's command line. */
    public static final String LABEL = "io.github.jinit.command";
    /** jinit's default grace period. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(8);
    /** Docker's SIGKILL comes this long after jinit's deadline, which should never need it. */
    private static final Duration DOCKER_MARGIN = Duration.ofSeconds(2);
    /** The look at what is still running is taken this long before jinit's deadline. */
    private static final Duration LOOK_BEFORE_DEADLINE = Duration.ofMillis(300);
    /** A zombie still there after this long is not a child its parent is about to wait for. */
    private static final Duration ZOMBIE_LINGER = Duration.ofSeconds(1);
    /** jinit's warning when its deadline SIGKILLs what is left (jinit.Shutdown). */
    private static final String DEADLINE_WARNING = "is over: killing what is left";

    private final Duration grace;
    private final String controlSocket;
    private final List<String> options;

    private Jinit(Duration grace, String controlSocket, List<String> options) {
        this.grace = grace;
        this.controlSocket = controlSocket;
        this.options = List.copyOf(options);
    }

    /**
     * jinit as it starts without options: 8 s grace, signals relayed to the main child's process group.
     *
     * @return the default Jinit
     */
    public static Jinit defaults() {
        return new Jinit(DEFAULT_GRACE, CONTROL_SOCKET, List.of());
    }

    /**
     * The grace period ({@code -t}): how long the processes have between SIGTERM and SIGKILL when
     * the container is stopped, or after the main child exited. Keep it below Docker's stop
     * timeout ({@link #stop} sets that to the grace plus 2 s).
     *
     * @param grace the grace period, zero or more (milliseconds count)
     * @return a Jinit with this grace period
     */
    public Jinit withGrace(Duration grace) {
        if (grace.isNegative()) throw new IllegalArgumentException("a negative grace period: " + grace);
        return new Jinit(grace, controlSocket, options);
    }

    /**
     * {@code -r FROM:TO}: relay signal FROM as TO; TO {@code "0"} drops it. Repeatable.
     *
     * @param from a signal name or number, as jinit takes it: {@code "TERM"}, {@code "SIGTERM"}, {@code "15"}
     * @param to   the signal relayed instead ({@code "QUIT"}), or {@code "0"}
     * @return a Jinit with this rewrite added
     */
    public Jinit withRewrite(String from, String to) {
        return with("--rewrite", from + ":" + to);
    }

    /**
     * {@code -e CODE}: exit 0 when the main child exits with CODE. Repeatable.
     *
     * @param code an exit code: 143 is a JVM's after SIGTERM
     * @return a Jinit with this code added
     */
    public Jinit withRemapExit(int code) {
        return with("--remap-exit", Integer.toString(code));
    }

    /**
     * {@code -v} repeated: jinit's log on the container's stderr (warnings only by default).
     *
     * @param level 1 also logs the spawn, relayed signals and the stop sequence; 2 also every reap
     * @return a Jinit with this many {@code -v} added
     */
    public Jinit withVerbosity(int level) {
        Jinit j = this;
        for (int i = 0; i < level; i++) j = j.with("-v");
        return j;
    }

    /**
     * {@code -w}: a warning for every orphan jinit reaps.
     *
     * @return a Jinit with {@code --warn-on-reap}
     */
    public Jinit withWarnOnReap() {
        return with("--warn-on-reap");
    }

    /**
     * {@code --single-child}: relay signals to the main child only, not to its process group.
     *
     * @return a Jinit with {@code --single-child}
     */
    public Jinit withSingleChild() {
        return with("--single-child");
    }

    /**
     * Puts jinit's control socket elsewhere in the container ({@code --control-socket}).
     *
     * @param path the socket's path in the container (default {@value #CONTROL_SOCKET}); its
     *             directory must exist and be writable by the container's user
     * @return a Jinit with this control socket
     */
    public Jinit withControlSocket(String path) {
        return new Jinit(grace, path, options);
    }

    /**
     * Any other jinit options, given before the program ({@code "--notify"},
     * {@code "--ready-file", "/tmp/ready"}, ...): see {@code jinit --help}.
     *
     * @param more options and their values, as on jinit's command line
     * @return a Jinit with these options added
     */
    public Jinit withOptions(String... more) {
        List<String> o = new ArrayList<>(options);
        o.addAll(Arrays.asList(more));
        return new Jinit(grace, controlSocket, o);
    }

    private Jinit with(String... option) {
        return withOptions(option);
    }

    /**
     * The grace period of {@link #withGrace}.
     *
     * @return the grace period
     */
    public Duration grace() {
        return grace;
    }

    /**
     * jinit's command line, the container's entry point.
     *
     * @return {@code /.jinit/jinit --grace 8000ms --control-socket /.jinit/control.sock [options] --}
     */
    public List<String> commandLine() {
        List<String> c = new ArrayList<>();
        c.add(EXECUTABLE);
        c.add("--grace");
        c.add(grace.toMillis() + "ms");
        c.add("--control-socket");
        c.add(controlSocket);
        c.addAll(options);
        c.add("--");
        return c;
    }

    /**
     * Makes {@code container} run under jinit, before it starts: copies jinit into it and makes
     * jinit its entry point, with the program the container would have run as jinit's program
     * (your entry point and command if you set them, else the image's, read with an inspect of
     * the image, as Docker combines them). Apply it after anything else that changes the entry
     * point ({@code withCreateContainerCmdModifier}): it takes the entry point set before it.
     *
     * @param container a container that has not started: any {@link GenericContainer}
     * @param <C>       its type, kept
     * @return {@code container}, for use in a field initializer
     */
    public <C extends GenericContainer<?>> C applyTo(C container) {
        if (container.getLabels().containsKey(LABEL)) {
            throw new IllegalStateException(container.getDockerImageName() + " runs under jinit already: " + container.getLabels().get(LABEL));
        }
        List<String> jinit = commandLine();
        container.withCopyToContainer(NativeExecutable.INSTANCE, EXECUTABLE);
        container.withLabel(LABEL, String.join(" ", jinit));
        container.withCreateContainerCmdModifier(cmd -> runUnderJinit(cmd, container.getDockerClient(), jinit));
        return container;
    }

    private static void runUnderJinit(CreateContainerCmd cmd, DockerClient docker, List<String> jinit) {
        if (cmd.getHostConfig() != null && Boolean.TRUE.equals(cmd.getHostConfig().getInit())) {
            throw new IllegalStateException("the container asks for Docker's init (HostConfig.init, docker run --init), which would be PID 1 in front of jinit: leave it out");
        }
        InspectImageResponse image = docker.inspectImageCmd(cmd.getImage()).exec();
        if (image.getArch() != null && !image.getArch().equals("amd64")) {
            throw new IllegalStateException("jinit-testcontainers carries a linux/amd64 jinit; image " + cmd.getImage() + " is " + image.getOs() + "/" + image.getArch());
        }
        ContainerConfig config = image.getConfig();
        List<String> program = program(cmd.getEntrypoint(), cmd.getCmd(),
            config == null ? null : config.getEntrypoint(), config == null ? null : config.getCmd());
        if (program.isEmpty()) {
            throw new IllegalStateException("nothing to run under jinit: image " + cmd.getImage() + " has no ENTRYPOINT or CMD, and the container sets none (withCommand)");
        }
        cmd.withEntrypoint(jinit).withCmd(program);
    }

    /**
     * The program a container runs, as Docker makes it from the container's and the image's
     * entry point and command: an entry point set on the container replaces the image's and
     * drops the image's command; a command set on the container replaces the image's.
     */
    static List<String> program(String[] entrypoint, String[] cmd, String[] imageEntrypoint, String[] imageCmd) {
        List<String> p = new ArrayList<>();
        if (set(entrypoint)) {
            p.addAll(Arrays.asList(entrypoint));
            if (set(cmd)) p.addAll(Arrays.asList(cmd));
        } else {
            if (set(imageEntrypoint)) p.addAll(Arrays.asList(imageEntrypoint));
            if (set(cmd)) p.addAll(Arrays.asList(cmd));
            else if (set(imageCmd)) p.addAll(Arrays.asList(imageCmd));
        }
        return p;
    }

    private static boolean set(String[] a) {
        return a != null && a.length > 0;
    }

    /**
     * Asks jinit in the running container for its status ({@code jinit ctl --json status},
     * through {@code docker exec}): the processes below it, the orphans it reaped.
     *
     * @param container a running container set up by {@link #applyTo}
     * @return what jinit answered
     * @throws IllegalStateException when jinit does not answer (the container is not running,
     *         or was not set up by {@link #applyTo})
     */
    public JinitStatus status(GenericContainer<?> container) {
        requireApplied(container);
        Container.ExecResult r;
        try {
            r = container.execInContainer(EXECUTABLE, "ctl", "--socket", controlSocket, "--json", "status");
        } catch (IOException e) {
            throw new UncheckedIOException("jinit ctl status in " + name(container) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking jinit in " + name(container) + " for its status", e);
        }
        if (r.getExitCode() != 0) {
            throw new IllegalStateException("jinit in " + name(container) + " did not answer (jinit ctl exit " + r.getExitCode() + "): "
                + r.getStderr().strip() + " (is jinit PID 1? a withCreateContainerCmdModifier after Jinit.applyTo can replace it)");
        }
        return JinitStatus.parse(r.getStdout());
    }

    /**
     * Stops the running container as {@code docker stop} does, and waits until it has exited:
     * Docker sends the image's stop signal (SIGTERM unless it says otherwise) to jinit, jinit
     * relays it to every process, SIGKILLs what is still running at the end of the grace period
     * and exits with the main child's status, at once when nothing is left. Unlike
     * {@link GenericContainer#stop()}, which SIGKILLs at once, this runs the application's
     * shutdown path. The container stays (stopped): its logs can be read; close or
     * {@code stop()} it as usual afterwards.
     *
     * <p>Before the stop it asks jinit for its status, and again a second later when zombies
     * are listed; when the stop lasts, it looks once more shortly before jinit's deadline, to
     * name what was still running.
     *
     * @param container a running container set up by {@link #applyTo}
     * @return what happened
     * @throws IllegalStateException when jinit does not answer, or Docker's stop fails
     */
    public JinitStop stop(GenericContainer<?> container) {
        JinitStatus before = status(container);
        List<JinitProcess> zombies = lingeringZombies(container, before);
        DockerClient docker = container.getDockerClient();
        String id = container.getContainerId();
        int timeout = (int) ((grace.plus(DOCKER_MARGIN).toMillis() + 999) / 1000);

        long t0 = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> docker.stopContainerCmd(id).withTimeout(timeout).exec());
        JinitStatus last = null;
        String when = "running when the stop began (a grace of " + grace.toMillis() + " ms leaves no time to look again)";
        Duration look = grace.minus(LOOK_BEFORE_DEADLINE);
        if (!look.isNegative() && !finishesWithin(stopping, look)) {
            last = lookAgain(container);
            when = last != null ? "still running " + LOOK_BEFORE_DEADLINE.toMillis() + " ms before the deadline"
                : "running when the stop began (jinit had exited when it was asked again, shortly before its deadline)";
        }
        join(stopping, container);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        var state = docker.inspectContainerCmd(id).exec().getState();
        int exitCode = state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue();
        boolean deadline = container.getLogs(OutputFrame.OutputType.STDERR).lines()
            .anyMatch(l -> l.contains("jinit[") && l.contains(DEADLINE_WARNING));
        List<JinitProcess> killed = !deadline ? List.of() : last != null ? last.processes() : before.processes();
        return new JinitStop(name(container), exitCode, took, grace, deadline, killed, when, zombies, before);
    }

    /** The zombies of {@code before} that are still there (same pid and parent) a moment later. */
    private List<JinitProcess> lingeringZombies(GenericContainer<?> container, JinitStatus before) {
        if (before.zombies().isEmpty()) return List.of();
        sleep(ZOMBIE_LINGER);
        List<JinitProcess> now = status(container).zombies();
        return before.zombies().stream().filter(z -> now.stream().anyMatch(n -> n.pid() == z.pid() && n.ppid() == z.ppid())).toList();
    }

    /** The status, or null when jinit does not answer any more (it has exited meanwhile). */
    private JinitStatus lookAgain(GenericContainer<?> container) {
        try {
            return status(container);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean finishesWithin(CompletableFuture<Void> f, Duration d) {
        try {
            f.get(d.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // join reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping a container", e);
        }
    }

    private static void join(CompletableFuture<Void> f, GenericContainer<?> container) {
        try {
            f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("docker stop " + name(container) + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name(container), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void requireApplied(GenericContainer<?> container) {
        String applied = container.getLabels().get(LABEL);
        if (applied == null) {
            throw new IllegalArgumentException(container.getDockerImageName() + " does not run under jinit: call Jinit.applyTo(container) before it starts");
        }
        if (!applied.equals(toString())) {
            throw new IllegalArgumentException(container.getDockerImageName() + " runs under another Jinit (" + applied + "): ask that one");
        }
        if (container.getContainerId() == null) {
            throw new IllegalStateException(container.getDockerImageName() + " has not been started");
        }
    }

    private static String name(GenericContainer<?> c) {
        String id = c.getContainerId();
        return c.getDockerImageName() + " (container " + (id == null ? "not started" : id.substring(0, Math.min(12, id.length()))) + ")";
    }

    @Override
    public String toString() {
        return String.join(" ", commandLine());
    }
}
