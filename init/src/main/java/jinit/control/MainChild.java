package jinit.control;

import java.nio.charset.StandardCharsets;

/** The main child as the status report shows it: its pid, command line and when it started. */
final class MainChild {
    final int pid;
    final String[] command;
    final long startMillis;

    MainChild(int pid, byte[][] argv, long startMillis) {
        this.pid = pid;
        this.command = new String[argv.length];
        for (int i = 0; i < argv.length; i++) command[i] = new String(argv[i], StandardCharsets.UTF_8);
        this.startMillis = startMillis;
    }
}
