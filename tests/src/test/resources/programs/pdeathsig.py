# Records its pid ($T/pid) and its parent-death signal (prctl PR_GET_PDEATHSIG, $T/pdeathsig),
# records TERM in $T/term and exits 0; $T/ready when ready.
import ctypes, os, signal, sys
T = os.environ['T']
libc = ctypes.CDLL(None)
v = ctypes.c_int()
libc.prctl(2, ctypes.byref(v))  # PR_GET_PDEATHSIG
def term(s, f):
    open(os.path.join(T, 'term'), 'w').write('TERM')
    os._exit(0)
signal.signal(signal.SIGTERM, term)
open(os.path.join(T, 'pid'), 'w').write(str(os.getpid()))
open(os.path.join(T, 'pdeathsig'), 'w').write(str(v.value))
open(os.path.join(T, 'ready'), 'w').close()
while True:
    signal.pause()
