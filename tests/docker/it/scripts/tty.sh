#!/bin/sh
# For `docker run -t -i`: prints this process's view of its terminal, then becomes `sleep`
# (same process, same group) until the terminal's Ctrl-C ends it.
#   "tty pid=P pgrp=G sid=S tpgid=T": T (the terminal's foreground group) = G when this
#   process's group is in the foreground.
set -- $(cat /proc/$$/stat)
echo "tty pid=$1 pgrp=$5 sid=$6 tpgid=$8"
exec sleep 600
