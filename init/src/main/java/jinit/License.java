package jinit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * {@code jinit -l}: prints jinit's license, the repository's LICENSE file, which the build puts
 * into jinit.jar as jinit/LICENSE (and the native image registers as a resource), as tini's
 * {@code -l} prints its own. The notices of what jinit bundles are in legal/ beside it.
 */
final class License {
    private License() {}

    static void print(PrintStream out) {
        try (InputStream in = License.class.getResourceAsStream("LICENSE")) {
            if (in == null) throw new IllegalStateException("jinit/LICENSE is missing from jinit.jar (jinit is MIT-licensed)");
            out.write(in.readAllBytes());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
