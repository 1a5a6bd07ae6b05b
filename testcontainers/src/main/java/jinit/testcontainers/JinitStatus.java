package jinit.testcontainers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What jinit said about a running container at one moment: {@code jinit ctl --json status}
 * inside it (see jinit's README, "The control socket"). Only its documented fields are read.
 */
public final class JinitStatus {
    private final String json;
    private final int jinitPid;
    private final int mainPid;
    private final boolean stopping;
    private final long orphansReaped;
    private final List<JinitProcess> processes;

    private JinitStatus(String json, int jinitPid, int mainPid, boolean stopping, long orphansReaped, List<JinitProcess> processes) {
        this.json = json;
        this.jinitPid = jinitPid;
        this.mainPid = mainPid;
        this.stopping = stopping;
        this.orphansReaped = orphansReaped;
        this.processes = List.copyOf(processes);
    }

    /** Reads a status answer; IllegalArgumentException when it is not one (or says {@code "ok":false}). */
    static JinitStatus parse(String json) {
        Map<String, Object> m = object(Json.parse(json.strip()), "the answer");
        if (!Boolean.TRUE.equals(m.get("ok"))) throw new IllegalArgumentException("jinit answered an error: " + m.get("error"));
        Map<String, Object> jinit = object(m.get("jinit"), "jinit");
        Map<String, Object> child = object(m.get("child"), "child");
        Map<String, Object> counters = object(m.get("counters"), "counters");
        List<JinitProcess> processes = new ArrayList<>();
        if (!(m.get("processes") instanceof List<?> list)) throw new IllegalArgumentException("no processes in jinit's status: " + json);
        for (Object o : list) {
            Map<String, Object> p = object(o, "a process");
            processes.add(new JinitProcess(integer(p, "pid"), integer(p, "ppid"), integer(p, "pgid"), integer(p, "sid"),
                String.valueOf(p.get("state")), String.valueOf(p.get("command"))));
        }
        return new JinitStatus(json.strip(), integer(jinit, "pid"), integer(child, "pid"), Boolean.TRUE.equals(m.get("stopping")),
            ((Number) counters.getOrDefault("orphans_reaped", 0L)).longValue(), processes);
    }

    /** jinit's pid in the container: 1. */
    public int jinitPid() {
        return jinitPid;
    }

    /** The main child's pid: the image's entry point and command (or the ones you set), run by jinit. */
    public int mainPid() {
        return mainPid;
    }

    /** True once a stop has begun (a stop signal, or the main child's exit). */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Orphans jinit has reaped since the container started: processes whose parent exited
     * before them, which jinit (PID 1) inherited and waited for. Under a PID 1 that is not an
     * init, each of them would have stayed a zombie.
     */
    public long orphansReaped() {
        return orphansReaped;
    }

    /** Every process below jinit, parents first (the main child first). */
    public List<JinitProcess> processes() {
        return processes;
    }

    /**
     * Zombies that jinit cannot reap: exited processes whose parent is another process of the
     * container, which has not waited for them. (jinit's own children never stay zombies.)
     */
    public List<JinitProcess> zombies() {
        return processes.stream().filter(p -> p.zombie() && p.ppid() != jinitPid).toList();
    }

    /** The process with this pid, if listed. */
    JinitProcess process(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
    }

    /** The answer as jinit gave it, for the fields this class does not read. */
    public String json() {
        return json;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("jinit (pid ").append(jinitPid).append("), main child ").append(mainPid)
            .append(stopping ? ", stopping" : "").append(", orphans reaped: ").append(orphansReaped)
            .append(", processes below jinit: ").append(processes.size());
        for (JinitProcess p : processes) b.append("\n  ").append(p);
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String what) {
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("jinit's status has no object " + what);
    }

    private static int integer(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Number n) return n.intValue();
        throw new IllegalArgumentException("jinit's status has no number " + key + " in " + m);
    }
}
