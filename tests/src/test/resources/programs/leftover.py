# Leaves a child in a session of its own that ignores TERM and records USR1 in $T/usr1, then
# exits 3 once that child is ready ($T/ready).
import os, signal, sys, time
T = os.environ['T']
if os.fork() == 0:
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, lambda s, f: open(os.path.join(T, 'usr1'), 'a').write('USR1\n'))
    open(os.path.join(T, 'ready'), 'w').close()
    while True:
        signal.pause()
while not os.path.exists(os.path.join(T, 'ready')):
    time.sleep(0.01)
sys.exit(3)
