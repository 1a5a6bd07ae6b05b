package jinit.testcontainers.app;

/**
 * A Java service's shutdown path, for an image with a JVM: a shutdown hook that flushes (takes
 * 200 ms) and says so. The JVM runs it on SIGTERM (then exits 143), never on SIGKILL.
 */
public final class ShutdownHookApp {
    private ShutdownHookApp() {}

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("shutdown hook: flushing");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("shutdown hook: done");
        }));
        System.out.println("ready pid=" + ProcessHandle.current().pid());
        Thread.sleep(Long.MAX_VALUE);
    }
}
