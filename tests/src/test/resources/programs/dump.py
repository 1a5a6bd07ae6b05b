# Writes what the child sees to $T/$N: its command line and environment (bytes), signal state
# and capabilities, open descriptors, and whether it leads its own process group.
import os
T, n = os.environ['T'], os.environ['N']
status = [l for l in open('/proc/self/status').read().splitlines()
          if l.startswith(('SigBlk', 'SigIgn', 'SigCgt', 'NoNewPrivs', 'Cap'))]
stat = open('/proc/self/stat').read().rsplit(')', 1)[1].split()
fds = []
for fd in range(64):
    try:
        fds.append('%d=%s' % (fd, os.readlink('/proc/self/fd/%d' % fd)))
    except OSError:
        pass
cmdline = open('/proc/self/cmdline', 'rb').read()
environ = open('/proc/self/environ', 'rb').read()
out = b'|'.join([cmdline, environ, '\n'.join(status).encode(), ' '.join(fds).encode(),
                 str(int(stat[2]) == os.getpid()).encode()])
open(os.path.join(T, n), 'wb').write(out)
