package jinit.testcontainers;

import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.images.builder.Transferable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * jinit's native executable (static, linux/amd64), carried in this jar as
 * {@value #RESOURCE}, as Testcontainers copies it into a container before the container
 * starts: the executable (mode 0755) in a directory of its own, which is world-writable with the
 * sticky bit (as /tmp), so that jinit can create its control socket there whatever user the
 * image runs as.
 */
final class NativeExecutable implements Transferable {
    static final String RESOURCE = "/jinit/testcontainers/jinit";
    private static byte[] bytes;

    private NativeExecutable() {}

    static final NativeExecutable INSTANCE = new NativeExecutable();

    /** The executable's bytes, read from this jar once. */
    @Override
    public synchronized byte[] getBytes() {
        if (bytes == null) {
            try (InputStream in = NativeExecutable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("jinit-testcontainers: no " + RESOURCE + " in its jar (a build without the native executable)");
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("jinit-testcontainers: cannot read " + RESOURCE, e);
            }
        }
        return bytes;
    }

    @Override
    public long getSize() {
        return getBytes().length;
    }

    @Override
    public int getFileMode() {
        return 0100755;
    }

    @Override
    public String getDescription() {
        return "jinit (native executable, " + getSize() + " bytes)";
    }

    /**
     * The directory entry first (mode 1777), then the executable. The entries go in through the
     * raw ArchiveOutputStream: commons-compress 1.26 made it generic, and a call compiled against
     * TarArchiveOutputStream.putArchiveEntry(TarArchiveEntry) would not link with the 1.24 of
     * Testcontainers 1.21 (the copy then fails silently in Testcontainers' copying thread).
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void transferTo(TarArchiveOutputStream tarStream, String destination) {
        ArchiveOutputStream tar = tarStream;
        String file = destination.replaceFirst("^/+", "");
        int slash = file.lastIndexOf('/');
        try {
            if (slash > 0) {
                TarArchiveEntry dir = new TarArchiveEntry(file.substring(0, slash + 1));
                dir.setMode(040000 | 01777);
                tar.putArchiveEntry(dir);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry entry = new TarArchiveEntry(file);
            entry.setMode(getFileMode());
            entry.setSize(getSize());
            tar.putArchiveEntry(entry);
            tar.write(getBytes());
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy jinit into the container", e);
        }
    }
}
