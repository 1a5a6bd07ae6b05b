# The main child forks a worker in its own process group and one that left for its own
# session; all three count the TERM and INT signals they get, and 0.5 s after the first one
# each writes "NAME TERM-COUNT INT-COUNT" to $T/NAME and exits 0, the main child last.
# $T/ready once all three count.
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
