package jinit.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The child programs the tests run under jinit: files under src/test/resources/programs, each
 * saying in its head what it does. Most write what they saw to files in $T.
 */
final class Programs {
    private Programs() {}

    /** Copies programs/NAME into {@code dir} (the tests' $T) and returns its path there. */
    static Path install(Path dir, String name) throws IOException {
        try (InputStream in = Programs.class.getResourceAsStream("/programs/" + name)) {
            if (in == null) throw new IOException("no test program " + name + " under src/test/resources/programs");
            Path p = dir.resolve(name);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        }
    }

    /** Writes a small file the test makes up itself (a script named ctl, say). */
    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
