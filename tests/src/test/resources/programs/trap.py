# Handles every signal jinit relays and appends the number to $T/got; with argument
# "worker" it also forks a worker in its own process group that appends to $T/got-worker.
# TERM is recorded, then the program exits 0. $T/ready appears when the handlers are in place.
import os, signal, sys, time
T = os.environ['T']
# every signal jinit relays (jinit.Signals.RELAYED) but TERM: all but KILL, STOP, CHLD, the
# faults (ILL TRAP ABRT BUS FPE SEGV SYS), glibc's 32 and 33, and the JVM's 40 and 62
NUMS = [s for s in range(1, 65) if s not in (4, 5, 6, 7, 8, 9, 11, 15, 17, 19, 31, 32, 33, 40, 62)]
def install(name):
    def h(sig, frame):
        with open(os.path.join(T, name), 'a') as f:
            f.write('%d\n' % sig)
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
