package jinit.sys;

/**
 * What posix_spawnp is asked to do for the main child.
 *
 * @param program     the program, searched in PATH unless it contains a '/'
 * @param argv        argument vector, argv[0] included
 * @param envp        environment entries "NAME=value"
 * @param sigmask     the child's signal mask
 * @param sigdefault  signals reset to SIG_DFL in the child (the rest keep SIG_IGN if ignored)
 * @param ownGroup    put the child in a new process group of its own
 * @param ttyFd       make that group the foreground group of this terminal, or -1
 * @param keepFds     descriptors at or above 3 the child inherits, ascending; all others close
 * @param closeStd    standard descriptors (0-2) closed in the child: those jinit was started without
 */
public record SpawnRequest(byte[] program, byte[][] argv, byte[][] envp, long sigmask,
                           long sigdefault, boolean ownGroup, int ttyFd, int[] keepFds, int[] closeStd) {

    public SpawnRequest(byte[] program, byte[][] argv, byte[][] envp, long sigmask,
                        long sigdefault, boolean ownGroup, int ttyFd, int[] keepFds) {
        this(program, argv, envp, sigmask, sigdefault, ownGroup, ttyFd, keepFds, new int[0]);
    }

    static final short SETPGROUP = 0x02, SETSIGDEF = 0x04, SETSIGMASK = 0x08;

    short flags() {
        return (short) (SETSIGDEF | SETSIGMASK | (ownGroup ? SETPGROUP : 0));
    }

    /** The first descriptor from which everything is closed. */
    int closeFrom() {
        return keepFds.length == 0 ? 3 : keepFds[keepFds.length - 1] + 1;
    }

    /** Descriptors below {@link #closeFrom()} that must be closed: {@code closeStd}, then those from 3 not kept. */
    int[] closeBelow() {
        int limit = closeFrom();
        int[] out = new int[closeStd.length + Math.max(0, limit - 3 - keepFds.length)];
        int n = 0, k = 0;
        for (int fd : closeStd) out[n++] = fd;
        for (int fd = 3; fd < limit; fd++) {
            if (k < keepFds.length && keepFds[k] == fd) k++;
            else out[n++] = fd;
        }
        return out;
    }
}
