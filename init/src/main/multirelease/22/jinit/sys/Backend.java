package jinit.sys;

/**
 * Chooses the native backend. This is the JDK 22+ version (META-INF/versions/22 of the jar):
 * java.lang.foreign, unless the system property {@code jinit.native} is "jnr" (read at each
 * call, so that both backends can be run and tested on one JDK).
 */
public final class Backend {
    private Backend() {}

    public static Native create() {
        if ("jnr".equals(System.getProperty("jinit.native"))) return new LibcNative(new JnrLibc());
        return new LibcNative(new FfmLibc());
    }
}
