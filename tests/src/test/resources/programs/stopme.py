# Records its pid in $T/pid and TERM in $T/term (then exits 0); $T/ready when ready.
import os, signal, sys
T = os.environ['T']
def h(s, f):
    open(os.path.join(T, 'term'), 'w').write('TERM')
    os._exit(0)
signal.signal(signal.SIGTERM, h)
open(os.path.join(T, 'pid'), 'w').write(str(os.getpid()))
open(os.path.join(T, 'ready'), 'w').close()
while True:
    signal.pause()
