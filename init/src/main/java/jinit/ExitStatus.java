package jinit;

/** How a wait status becomes jinit's exit code, and the codes jinit itself uses. */
public final class ExitStatus {
    private ExitStatus() {}

    /** jinit could not start (e.g. the child could not be spawned for lack of resources). */
    public static final int FAILURE = 1;
    /** Usage error: no program, unknown option, bad option value. */
    public static final int USAGE = 2;
    /** The program was found but could not be executed. */
    public static final int NOT_EXECUTABLE = 126;
    /** The program was not found. */
    public static final int NOT_FOUND = 127;

    /** The child's exit code, or 128+N when signal N killed it (as a shell reports it). */
    public static int of(int waitStatus) {
        int termsig = waitStatus & 0x7f;
        if (termsig == 0) return (waitStatus >> 8) & 0xff;
        return (128 + termsig) & 0xff;
    }


    /** Applies -e/--remap-exit: a listed code becomes 0. */
    public static int remap(int code, boolean[] remapped) {
        return remapped[code & 0xff] ? 0 : code;
    }
}
