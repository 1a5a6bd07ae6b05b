#!/bin/sh
# The training workload: the main child of one jinit run (train.sh, make-runtime.sh). It walks
# every path of a run, so that what they load and link can be archived or pre-generated: a
# relayed signal, an orphan to reap, a stop signal with a process that left the child's session
# (the /proc scan), leftovers after the child's exit, one that ignores TERM until the deadline's
# KILL (run jinit with a short grace, e.g. -t 300ms). $PPID is jinit.
trap : USR1
trap "exit 0" TERM
kill -USR1 $PPID; sleep 0.05
(sleep 0.05 &)
setsid sleep 5 &
sh -c 'trap "" TERM; exec sleep 5' &
sleep 0.1; kill -TERM $PPID
while :; do sleep 0.02; done
