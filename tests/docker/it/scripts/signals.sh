#!/bin/sh
# For `docker kill -s`: the main process and a worker in its process group print
# "got SIG ROLE" for HUP, QUIT, USR1, USR2 and WINCH. QUIT ends both (main exits 3).
#   usage: signals.sh [main | worker]
role=${1:-main}
for s in HUP USR1 USR2 WINCH; do trap "echo got $s $role" $s; done
if [ "$role" = main ]; then
  # sh starts `&` commands with INT and QUIT ignored (POSIX, no job control), and a shell
  # cannot trap what it started with ignored: GNU env puts them back to the default
  env --default-signal=INT,QUIT /it/signals.sh worker &
  trap 'echo got QUIT main; wait; exit 3' QUIT
else
  trap 'echo got QUIT worker; exit 0' QUIT
fi
echo "ready $role $$"
while :; do sleep 1 & wait $!; done
