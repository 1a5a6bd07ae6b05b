#!/bin/sh
# service.sh NAME: a program that starts two helpers, one in its process group and one that
# leaves it with setsid (as daemonizing libraries and `nohup setsid` scripts do). The helpers
# are `sleep`s whose length marks them in `ps`:
#   NAME=app:  sleep 1001 (same group), sleep 1002 (own session)
#   otherwise: sleep 2001 (same group), sleep 2002 (own session)
case $1 in app) n=100 ;; *) n=200 ;; esac
sleep ${n}1 &
setsid sleep ${n}2 &
trap 'echo "$1: SIGTERM, stopping"; exit 0' TERM
echo "$1: started sleep ${n}1 (same process group) and sleep ${n}2 (own session)"
while :; do sleep 1 & wait $!; done
