package jinit.it.docker;

import org.testcontainers.containers.output.OutputFrame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A container's output (stdout and stderr) as complete lines, collected as it arrives, with a
 * wait for a condition on the lines so far.
 */
final class LogLines implements Consumer<OutputFrame> {
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partialOut = new StringBuilder(), partialErr = new StringBuilder();

    @Override
    public synchronized void accept(OutputFrame frame) {
        if (frame.getType() == OutputFrame.OutputType.END) {
            flush(partialOut);
            flush(partialErr);
        } else {
            StringBuilder partial = frame.getType() == OutputFrame.OutputType.STDERR ? partialErr : partialOut;
            partial.append(new String(frame.getBytes(), StandardCharsets.UTF_8));
            for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
                lines.add(partial.substring(0, nl).replace("\r", ""));
                partial.delete(0, nl + 1);
            }
        }
        notifyAll();
    }

    private void flush(StringBuilder partial) {
        if (partial.length() > 0) lines.add(partial.toString());
        partial.setLength(0);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized boolean has(String line) {
        return lines.contains(line);
    }

    /** Lines that start with {@code prefix}. */
    synchronized List<String> startingWith(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** Waits until the lines so far satisfy {@code condition}; fails with the lines after {@code timeout}. */
    synchronized void await(String what, Duration timeout, Predicate<List<String>> condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(lines)) {
            long left = end - System.nanoTime();
            if (left <= 0) throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; output so far:\n" + this);
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until every one of {@code expected} has been printed as a whole line. */
    void awaitAll(Duration timeout, String... expected) throws InterruptedException {
        await(String.join(", ", expected), timeout, ls -> ls.containsAll(List.of(expected)));
    }

    /** Waits until, for each of {@code prefixes}, a line starting with it has been printed. */
    void awaitPrefixes(Duration timeout, String... prefixes) throws InterruptedException {
        await("lines starting with " + String.join(", ", prefixes), timeout,
            ls -> List.of(prefixes).stream().allMatch(p -> ls.stream().anyMatch(l -> l.startsWith(p))));
    }

    @Override
    public synchronized String toString() {
        return "  | " + String.join("\n  | ", lines);
    }
}
