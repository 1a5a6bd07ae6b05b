package jinit.testcontainers;

/**
 * One process below jinit in a container, as {@code jinit ctl status} lists it (from the
 * container's {@code /proc}).
 *
 * @param pid     its pid in the container
 * @param ppid    its parent's pid (jinit's is 1)
 * @param pgid    its process group
 * @param sid     its session (0 when the session leader is outside the container)
 * @param state   the kernel's state letter: {@code R} running, {@code S} sleeping,
 *                {@code D} disk wait, {@code T} stopped, {@code Z} zombie (exited, not waited for)
 * @param command its command line, or {@code [name]} when it has none (a zombie)
 */
public record JinitProcess(int pid, int ppid, int pgid, int sid, String state, String command) {

    /** True for a zombie: a process that exited and that its parent has not waited for. */
    public boolean zombie() {
        return "Z".equals(state);
    }

    /** {@code pid 12 (ppid 1, pgid 12, sid 12, S) python3 app.py} */
    @Override
    public String toString() {
        return "pid " + pid + " (ppid " + ppid + ", pgid " + pgid + ", sid " + sid + ", " + state + ") " + command;
    }
}
