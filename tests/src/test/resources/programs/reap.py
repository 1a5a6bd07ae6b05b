# Makes 200 orphans that exit at about the same time (re-parented to jinit), then checks that
# none stays a zombie; then forks and waits for 5000 children itself and checks that every
# status it gets is right (jinit's waitpid(-1) must not steal them). Writes a verdict to
# $T/reap and exits 0 only if both hold.
import os, sys, time
T = os.environ['T']
init = os.getppid()
for i in range(200):
    if os.fork() == 0:
        if os.fork() == 0:
            time.sleep(0.3)
            os._exit(0)
        os._exit(0)
    os.wait()
def zombies():
    n = 0
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            s = open('/proc/%s/stat' % p).read()
        except OSError:
            continue
        f = s[s.rindex(')') + 2:].split()
        if f[0] == 'Z' and int(f[1]) == init:
            n += 1
    return n
time.sleep(0.5)
deadline = time.time() + 20
while zombies() > 0 and time.time() < deadline:
    time.sleep(0.05)
left = zombies()
wrong = 0
for i in range(5000):
    pid = os.fork()
    if pid == 0:
        os._exit(i % 100)
    got, status = os.waitpid(pid, 0)
    if got != pid or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != i % 100:
        wrong += 1
open(os.path.join(T, 'reap'), 'w').write('zombies=%d wrong=%d' % (left, wrong))
sys.exit(0 if left == 0 and wrong == 0 else 1)
