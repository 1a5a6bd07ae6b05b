#!/bin/sh
# Runs examples/quickstart/app.py twice, stops it with SIGTERM after 2 s, and counts what is
# left: once as a plain process, once under jinit. Usage: examples/quickstart/demo.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
jinit=${JINIT:-$here/../../init/target/jinit}
count() { pgrep -f '^[^ ]*python3[^ ]* .*jinit-quickstart' | wc -l; }
cleanup() { pkill -9 -f jinit-quickstart 2>/dev/null; }
trap cleanup EXIT

run() {
  label=$1; shift
  echo "== $label"
  "$@" python3 "$here/app.py" jinit-quickstart &
  pid=$!
  sleep 2
  echo "  $(count) processes running; sending SIGTERM to $pid"
  kill -TERM "$pid"
  wait "$pid"; echo "  exit status $?"
  sleep 0.5
  echo "  left behind: $(count)"
  cleanup
}

run "without jinit: python3 app.py"
run "with jinit: jinit -- python3 app.py" "$jinit" -t 3s --
