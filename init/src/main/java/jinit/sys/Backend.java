package jinit.sys;

/**
 * Chooses the native backend. This is the JDK 17-21 version: jnr. A JDK 22+ version of this
 * class (src/main/java22, META-INF/versions/22 of the jar) chooses FFM instead. The native
 * executable has its own ({@code ImageBackend}) and never reaches this class.
 */
public final class Backend {
    private Backend() {}

    public static Native create() {
        return new LibcNative(new JnrLibc());
    }
}
