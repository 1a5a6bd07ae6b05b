package jinit.it.docker;

import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The suite's images, built locally once per test JVM, never pulled:
 * <ul>
 * <li>the jinit runtime init/target/jinit-runtime (init/src/build/make-runtime.sh), made again
 *     when it does not hold exactly the launcher, jars and options of init/target;</li>
 * <li>the base images of tests/docker/build-base-images.sh, when missing;</li>
 * <li>the test image {@value #TEST} (that runtime at /opt/jinit, tests/docker/it/scripts at /it);</li>
 * <li>example images, from examples/NAME/Dockerfile with local base images as build arguments.</li>
 * </ul>
 * What the scripts print goes to tests/target/docker-images.log.
 */
final class Images {
    static final String TEST = "jinit-it:latest";
    static final String BASE = "local/base:bookworm";
    static final String PYTHON = "local/python:3.11";
    static final String JRE = "local/jre:25";
    static final String BUILDER = "local/maven:temurin-25";
    static final String SUPERVISOR = "local/supervisor:4";
    /** The top-level Dockerfile's image; built by build-base-images.sh jinit (CI does), not here. */
    static final String JINIT = "jinit:latest";

    static final Path REPOSITORY = Path.of(System.getProperty("jinit.repository", "..")).toAbsolutePath().normalize();
    private static final Path LOG = REPOSITORY.resolve("tests/target/docker-images.log");

    private static boolean testImageBuilt;
    /** A failed build fails every class at once, instead of being tried again by each. */
    private static IOException testImageFailure;
    private static final Map<String, String> examples = new HashMap<>();

    private Images() {}

    /** Makes sure {@value #TEST} holds the jinit of init/target; returns its name. */
    static synchronized String test() throws IOException, InterruptedException {
        if (testImageBuilt) return TEST;
        if (testImageFailure != null) throw new IOException("the test image could not be built (see the first class that failed)", testImageFailure);
        try {
            buildTest();
        } catch (IOException | RuntimeException e) {
            testImageFailure = e instanceof IOException io ? io : new IOException(e);
            throw e;
        }
        testImageBuilt = true;
        return TEST;
    }

    private static void buildTest() throws IOException, InterruptedException {
        Path target = REPOSITORY.resolve("init/target");
        if (!Files.isRegularFile(target.resolve("jinit")) || !Files.isRegularFile(target.resolve("lib/jinit.jar"))) {
            throw new IllegalStateException(target + " holds no built jinit: run mvn package (the init module) first");
        }
        if (!runtimeMatches(target, target.resolve("jinit-runtime"))) {
            run(REPOSITORY.resolve("init/src/build/make-runtime.sh").toString());
        }
        String script = REPOSITORY.resolve("tests/docker/build-base-images.sh").toString();
        run(script, "--if-missing", "base", "python", "jre");
        run(script, "test");
    }

    /**
     * examples/NAME built with the test image as JINIT_IMAGE and {@code args} (local base images);
     * tagged jinit-example-NAME:it, once per JVM.
     */
    static synchronized String example(String name, String... args) throws IOException, InterruptedException {
        String tag = examples.get(name);
        if (tag != null) return tag;
        test();
        // the bigger or less often needed base images, when an example asks for them
        for (String[] base : new String[][] {{BUILDER, "builder"}, {SUPERVISOR, "supervisor"}}) {
            if (List.of(args).contains(base[0])) run(REPOSITORY.resolve("tests/docker/build-base-images.sh").toString(), "--if-missing", base[1]);
        }
        Map<String, String> buildArgs = new HashMap<>();
        buildArgs.put("JINIT_IMAGE", TEST);
        for (int i = 0; i < args.length; i += 2) buildArgs.put(args[i], args[i + 1]);
        tag = new ImageFromDockerfile("jinit-example-" + name + ":it", false)
            .withFileFromPath(".", REPOSITORY.resolve("examples").resolve(name))
            .withBuildArgs(buildArgs)
            .get();
        examples.put(name, tag);
        return tag;
    }

    /**
     * True when {@code runtime} was made from init/target as it is: the same launcher, and each
     * of its jars and jvm.options the same as init/target's (jinit.jar among them; make-runtime.sh
     * leaves out the jars its Java never loads).
     */
    static boolean runtimeMatches(Path target, Path runtime) throws IOException {
        Path lib = runtime.resolve("lib/jinit");
        if (!Files.isDirectory(lib) || !same(target.resolve("jinit"), runtime.resolve("bin/jinit"))) return false;
        List<String> have = names(lib);
        if (!have.contains("jinit.jar") || !have.contains("jvm.options")) return false;
        for (String n : have) if (!same(lib.resolve(n), target.resolve("lib").resolve(n))) return false;
        return true;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".jar") || n.equals("jvm.options")).sorted().toList();
        }
    }

    private static boolean same(Path a, Path b) throws IOException {
        return Files.isRegularFile(b) && Files.size(a) == Files.size(b) && Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    /** Runs a build script; its output goes to the log, and into the exception when it fails. */
    private static void run(String... command) throws IOException, InterruptedException {
        Files.createDirectories(LOG.getParent());
        Files.writeString(LOG, "\n$ " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 10 minutes; see " + LOG);
        }
        if (p.exitValue() != 0) {
            List<String> log = Files.readAllLines(LOG);
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + "; the end of " + LOG + ":\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
        }
    }
}
