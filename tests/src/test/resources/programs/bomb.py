# The main child stays in jinit's group (TERM: $T/main-term, exit 0; USR1: a line in $T/usr1);
# it forks a fork bomb in a session of its own that ignores TERM and USR1, makes orphans,
# and writes "FORKS EAGAINS" to $T/bomb every 0.1 s.
import os, signal, sys, time
T = os.environ['T']
def term(s, f):
    open(os.path.join(T, 'main-term'), 'w').write('TERM')
    os._exit(0)
signal.signal(signal.SIGTERM, term)
signal.signal(signal.SIGUSR1, lambda s, f: open(os.path.join(T, 'usr1'), 'a').write('1\n'))
if os.fork() == 0:
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    forks = eagain = 0
    last = time.time()
    while True:
        try:
            if os.fork() == 0:
                # an orphan-maker: the grandchild is re-parented to jinit
                try:
                    if os.fork() == 0:
                        time.sleep(0.5)
                        os._exit(0)
                except OSError:
                    pass
                os._exit(0)
            forks += 1
        except OSError:
            eagain += 1
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        if time.time() - last > 0.1:
            last = time.time()
            with open(os.path.join(T, 'bomb.tmp'), 'w') as f:
                f.write('%d %d' % (forks, eagain))
            os.rename(os.path.join(T, 'bomb.tmp'), os.path.join(T, 'bomb'))
open(os.path.join(T, 'ready'), 'w').close()
while True:
    signal.pause()
