package jinit.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Child programs the tests run under jinit. Each writes what it saw to files in $T. */
final class Scripts {
    private Scripts() {}

    /**
     * Handles every relayable signal it can and appends the number to $T/got; with argument
     * "worker" it also forks a worker in its own process group that appends to $T/got-worker.
     * TERM is recorded, then the program exits 0. $T/ready appears when handlers are in place.
     */
    static final String TRAP_ALL = """
        import os, signal, sys, time
        T = os.environ['T']
        NUMS = [signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
                signal.SIGALRM, signal.SIGWINCH, signal.SIGCONT, signal.SIGTSTP, signal.SIGURG,
                signal.SIGPWR, signal.SIGTTIN, signal.SIGTTOU, signal.SIGVTALRM, signal.SIGPROF,
                signal.SIGXCPU, signal.SIGIO, signal.SIGPIPE, 35, 50, 63, 64]
        def install(name):
            def h(sig, frame):
                with open(os.path.join(T, name), 'a') as f:
                    f.write('%d\\n' % sig)
                if sig == signal.SIGTERM:
                    os._exit(0)
            for s in NUMS + [signal.SIGTERM]:
                signal.signal(s, h)
        install('got')
        if len(sys.argv) > 1 and sys.argv[1] == 'worker':
            if os.fork() == 0:
                install('got-worker')
                open(os.path.join(T, 'worker-ready'), 'w').close()
                while True:
                    signal.pause()
        open(os.path.join(T, 'ready'), 'w').close()
        while True:
            signal.pause()
        """;

    /**
     * The escaped worker started by {@link #ESCAPE}: records TERM in $T/escaped and exits 0, or
     * ignores TERM when its second argument is "stubborn". Its first argument is a marker.
     */
    static final String WORKER = """
        import os, signal, sys
        T = os.environ['T']
        if sys.argv[2] == 'stubborn':
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        else:
            def h(sig, frame):
                open(os.path.join(T, 'escaped'), 'w').write('TERM')
                os._exit(0)
            signal.signal(signal.SIGTERM, h)
        open(os.path.join(T, 'worker-ready'), 'w').close()
        while True:
            signal.pause()
        """;

    /**
     * Usage: escape.py MARK WORKER_MODE MAIN_MODE. Starts $T/worker.py in a session of its
     * own (setsid), as a grandchild, so it escapes the main child's process group. MAIN_MODE:
     * "exit" exits 5 at once; "wait" waits, recording TERM in $T/main and exiting 0;
     * "stubborn" waits and ignores TERM.
     */
    static final String ESCAPE = """
        import os, signal, sys, time
        T = os.environ['T']
        mark, worker_mode, main_mode = sys.argv[1:4]
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execvp('python3', ['python3', os.path.join(T, 'worker.py'), mark, worker_mode])
            os._exit(0)
        os.wait()
        while not os.path.exists(os.path.join(T, 'worker-ready')):
            time.sleep(0.01)
        if main_mode == 'stubborn':
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        else:
            def m(sig, frame):
                open(os.path.join(T, 'main'), 'w').write('TERM')
                os._exit(0)
            signal.signal(signal.SIGTERM, m)
        open(os.path.join(T, 'ready'), 'w').close()
        if main_mode == 'exit':
            sys.exit(5)
        while True:
            signal.pause()
        """;

    /**
     * The main child forks a worker in its own process group and one that left for its own
     * session; all three count the TERM and INT signals they get, and 0.5 s after the first
     * one each writes "NAME TERM-COUNT INT-COUNT" to $T/NAME and exits 0, the main child last.
     * $T/ready once all three count.
     */
    static final String COUNT = """
        import os, signal, sys, time
        T = os.environ['T']
        mark = sys.argv[1]
        def count(name, after=()):
            got = {signal.SIGTERM: 0, signal.SIGINT: 0}
            first = []
            def h(sig, frame):
                got[sig] += 1
                first.append(time.monotonic())
            signal.signal(signal.SIGTERM, h)
            signal.signal(signal.SIGINT, h)
            open(os.path.join(T, name + '-ready'), 'w').close()
            while not first or time.monotonic() - first[0] < 0.5:
                time.sleep(0.01)
            # the main child exits last: its exit sends TERM to whatever is left
            while not all(os.path.exists(os.path.join(T, a)) for a in after):
                time.sleep(0.01)
            open(os.path.join(T, name), 'w').write('%s %d %d' % (name, got[signal.SIGTERM], got[signal.SIGINT]))
            os._exit(0)
        if os.fork() == 0:
            count('grouped')
        if os.fork() == 0:
            os.setsid()
            count('escaped')
        for name in ('grouped', 'escaped'):
            while not os.path.exists(os.path.join(T, name + '-ready')):
                time.sleep(0.01)
        open(os.path.join(T, 'ready'), 'w').close()
        count('main', after=('grouped', 'escaped'))
        """;

    /**
     * Makes 200 orphans that exit at about the same time (re-parented to jinit), then checks
     * that none stays a zombie; then forks and waits for 5000 children itself and checks that
     * every status it gets is right (jinit's waitpid(-1) must not steal them). Writes a
     * verdict to $T/reap and exits 0 only if both hold.
     */
    static final String REAP = """
        import os, sys, time
        T = os.environ['T']
        init = os.getppid()
        for i in range(200):
            if os.fork() == 0:
                if os.fork() == 0:
                    time.sleep(0.3)
                    os._exit(0)
                os._exit(0)
            os.wait()
        def zombies():
            n = 0
            for p in os.listdir('/proc'):
                if not p.isdigit():
                    continue
                try:
                    s = open('/proc/%s/stat' % p).read()
                except OSError:
                    continue
                f = s[s.rindex(')') + 2:].split()
                if f[0] == 'Z' and int(f[1]) == init:
                    n += 1
            return n
        time.sleep(0.5)
        deadline = time.time() + 20
        while zombies() > 0 and time.time() < deadline:
            time.sleep(0.05)
        left = zombies()
        wrong = 0
        for i in range(5000):
            pid = os.fork()
            if pid == 0:
                os._exit(i % 100)
            got, status = os.waitpid(pid, 0)
            if got != pid or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != i % 100:
                wrong += 1
        open(os.path.join(T, 'reap'), 'w').write('zombies=%d wrong=%d' % (left, wrong))
        sys.exit(0 if left == 0 and wrong == 0 else 1)
        """;

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
