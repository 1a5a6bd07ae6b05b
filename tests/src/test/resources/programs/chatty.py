# Makes N orphans (its argument), waits 0.5 s, exits 7: -vvv logs a line for each.
import os, sys, time
for i in range(int(sys.argv[1])):
    if os.fork() == 0:
        if os.fork() == 0:
            os._exit(0)
        os._exit(0)
    os.wait()
time.sleep(0.5)
sys.exit(7)
