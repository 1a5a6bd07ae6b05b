# Usage: escape.py MARK WORKER_MODE MAIN_MODE. Starts $T/worker.py in a session of its own
# (setsid), as a grandchild, so it escapes the main child's process group. MAIN_MODE: "exit"
# exits 5 at once; "wait" waits, recording TERM in $T/main and exiting 0; "stubborn" waits
# and ignores TERM.
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
