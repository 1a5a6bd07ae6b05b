package jinit.sys;

/**
 * The native executable's backend: {@link Native} over {@link ImageLibc}'s {@code @CFunction}
 * calls. What {@link Backend} is to the JVM form; only the native image has this class.
 */
public final class ImageBackend {
    private ImageBackend() {}

    public static Native create() {
        return new LibcNative(new ImageLibc());
    }
}
