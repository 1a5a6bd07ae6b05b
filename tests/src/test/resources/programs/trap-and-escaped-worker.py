# The main child execs trap.py (it traps every relayable signal); a worker in a session of its
# own execs worker.py (it records TERM in $T/escaped).
import os, sys
if os.fork() == 0:
    os.setsid()
    os.execvp('python3', ['python3', os.path.join(os.environ['T'], 'worker.py'), 'mark', 'normal'])
os.execvp('python3', ['python3', os.path.join(os.environ['T'], 'trap.py')])
