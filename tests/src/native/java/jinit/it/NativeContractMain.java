package jinit.it;

import jinit.sys.ImageBackend;
import jinit.sys.Native;
import org.opentest4j.TestAbortedException;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract checks ({@link NativeContract}, {@link SocketContract}) inside a native image,
 * against the native executable's backend: built like jinit's own executable (this class is its
 * main), run by {@code NativeContractImageTest}. One line per check on stdout: "ok NAME",
 * "fail NAME: WHY" or "skip NAME: WHY", then "done COUNT". Exit status 1 when a check failed.
 */
public final class NativeContractMain {
    private NativeContractMain() {}

    public static void main(String[] args) {
        Native sys = ImageBackend.create();
        List<NativeContract.Check> checks = new ArrayList<>(NativeContract.checks("native"));
        checks.addAll(SocketContract.checks());
        PrintStream out = System.out;
        File base = new File(System.getProperty("java.io.tmpdir", "/tmp"), "jinit-contract-" + sys.getpid());
        int failed = 0;
        for (NativeContract.Check check : checks) {
            if (args.length > 0 && !List.of(args).contains(check.name())) continue;
            File dir = new File(base, check.name());
            try {
                if (!dir.mkdirs()) throw new IllegalStateException("cannot create " + dir);
                check.body().run(sys, dir);
                out.println("ok " + check.name());
            } catch (TestAbortedException e) {
                out.println("skip " + check.name() + ": " + oneLine(e));
            } catch (Throwable t) {
                out.println("fail " + check.name() + ": " + oneLine(t));
                failed++;
            } finally {
                delete(dir);
            }
            out.flush();
        }
        delete(base);
        out.println("done " + checks.size());
        out.flush();
        System.exit(failed > 0 ? 1 : 0);
    }

    /** The failure and where it happened, on one line (the JUnit side turns it back into a test). */
    private static String oneLine(Throwable t) {
        StringBuilder b = new StringBuilder(String.valueOf(t));
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("jinit.")) {
                b.append(" at ").append(e);
                break;
            }
        }
        return b.toString().replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static void delete(File f) {
        File[] children = f.listFiles();
        if (children != null) for (File c : children) delete(c);
        f.delete();
    }
}
