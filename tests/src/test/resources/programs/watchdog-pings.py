# Says READY=1 on $NOTIFY_SOCKET, pings the watchdog (WATCHDOG=1) 8 times every 0.15 s, writes
# the time of its last ping to $T/last-ping and then stops pinging; the time it got TERM goes to
# $T/term, then it exits 0. Expects WATCHDOG_USEC=600000.
import os, signal, socket, sys, time
T = os.environ['T']
assert os.environ['WATCHDOG_USEC'] == '600000', os.environ['WATCHDOG_USEC']
def term(sig, frame):
    open(os.path.join(T, 'term'), 'w').write(str(time.time()))
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b'READY=1', os.environ['NOTIFY_SOCKET'])
for i in range(8):
    time.sleep(0.15)
    s.sendto(b'WATCHDOG=1', os.environ['NOTIFY_SOCKET'])
open(os.path.join(T, 'last-ping'), 'w').write(str(time.time()))
while True:
    time.sleep(1)
