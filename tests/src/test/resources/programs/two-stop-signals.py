# Records TERM and INT in $T/got; exits 0 at the INT. $T/ready when the handlers are in place.
import os, signal, sys
T = os.environ['T']
def rec(s, f):
    open(os.path.join(T, 'got'), 'a').write('%d\n' % s)
    if s == signal.SIGINT:
        os._exit(0)
signal.signal(signal.SIGTERM, rec)
signal.signal(signal.SIGINT, rec)
open(os.path.join(T, 'ready'), 'w').close()
while True:
    signal.pause()
