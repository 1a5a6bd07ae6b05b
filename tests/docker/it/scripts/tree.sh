#!/bin/sh
# A service-like process tree for the `docker stop` cases:
#   main (this script, jinit's child)  - waits for its worker on SIGTERM, then exits $MAIN_STATUS
#   +- worker                          - in main's process group
#   +- escaped (setsid)                - its own session and group, like a daemonized helper
#      +- escaped-child                - in escaped's group
# Every process prints "ready ROLE PID" when its handler is set, and on SIGTERM
# "TERM ROLE PID" and exits 0. Knobs: MAIN_STATUS (7), STUBBORN=escaped|main makes that
# process print "TERM-ignored ROLE PID" and carry on.
#   usage: tree.sh [main | role NAME]
idle() { while :; do sleep 1 & wait $!; done; }
handler() { # NAME: install the TERM handler of process NAME
  if [ "${STUBBORN:-}" = "$1" ]; then
    trap "echo TERM-ignored $1 \$\$" TERM
  else
    trap "echo TERM $1 \$\$; exit 0" TERM
  fi
}
case ${1:-main} in
  main)
    /it/tree.sh role worker &
    worker=$!
    setsid /it/tree.sh escaped &
    if [ "${STUBBORN:-}" = main ]; then
      handler main
    else
      trap 'echo "TERM main $$"; wait $worker; echo "main exits ${MAIN_STATUS:-7}"; exit ${MAIN_STATUS:-7}' TERM
    fi
    echo "ready main $$"
    idle ;;
  escaped)
    handler escaped
    /it/tree.sh role escaped-child &
    echo "ready escaped $$ sid=$(cut -d' ' -f6 /proc/$$/stat)"
    idle ;;
  role)
    handler "$2"
    echo "ready $2 $$"
    idle ;;
esac
