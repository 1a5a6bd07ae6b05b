# The escaped worker started by escape.py: records TERM in $T/escaped and exits 0, or ignores
# TERM when its second argument is "stubborn". Its first argument is a marker.
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
