/**
 * The JVM floor: an empty main, run with jinit's JVM flags. With the argument "sleep" it prints
 * "ready" and then idles, for the idle-memory row.
 */
public final class Floor {
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("sleep")) {
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
