#!/bin/sh
# Runs examples/quickstart/app.py twice, stops it with SIGTERM once all its processes are up, and
# counts what is left: once as a plain process, once under jinit.
# Usage: examples/quickstart/demo.sh   (JINIT=path/to/jinit to try another build)
# Exit status: 0 when it showed what it promises (bare, processes are left behind; under jinit
# every process ran its SIGTERM handler, jinit exited 0 and nothing was left), 1 otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
jinit=${JINIT:-$here/../../init/target/jinit}
[ -x "$jinit" ] || { echo "demo: no jinit at $jinit: build it first (mvn -B -q package -DskipTests)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "demo: python3 is needed" >&2; exit 1; }
mark=jinit-quickstart-$$            # on app.py's command line: this run's processes, no one else's
out=$(mktemp) || exit 1

pids() { pgrep -f "^[^ ]*python3[^ ]* .*$mark\$"; }
count() { pids | wc -l; }
# processes that handle SIGTERM already (bit 15 of SigCgt): a TERM sent before would kill them
# without their handler, so the demo waits for all five
handling() {
  n=0
  for p in $(pids); do
    m=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)
    [ -n "$m" ] && [ $(( 0x${m#"${m%????}"} & 0x4000 )) -ne 0 ] && n=$((n + 1))
  done
  echo "$n"
}
cleanup() { pkill -9 -f "$mark" 2>/dev/null || true; }
trap 'cleanup; rm -f "$out"' EXIT
trap 'exit 130' INT TERM

# run LABEL [PREFIX...]: start app.py (under PREFIX), SIGTERM it once its five processes handle
# TERM, wait, and count what is left. Sets status, left and cleaned (handler lines).
run() {
  label=$1; shift
  echo "== $label"
  : > "$out"
  "$@" python3 "$here/app.py" "$mark" > "$out" 2>&1 &
  pid=$!
  i=0
  while [ "$(handling)" -lt 5 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  shown=$(wc -l < "$out")
  cat "$out"
  echo "  $(count) processes running; sending SIGTERM to $pid"
  kill -TERM "$pid"
  wait "$pid"; status=$?
  tail -n +$((shown + 1)) "$out"
  echo "  exit status $status"
  sleep 0.5
  left=$(count)
  echo "  left behind: $left"
  cleaned=$(grep -c 'got SIGTERM, cleaning up' "$out")
  cleanup
}

run "without jinit: python3 app.py"
bare_left=$left
run "with jinit: jinit -- python3 app.py" "$jinit" -t 3s --

if [ "$bare_left" -gt 0 ] && [ "$status" -eq 0 ] && [ "$left" -eq 0 ] && [ "$cleaned" -eq 5 ]; then
  echo "== shown: bare, $bare_left processes were left running; under jinit all 5 cleaned up and none was left"
  exit 0
fi
echo "== NOT as promised: bare left $bare_left; under jinit: exit status $status, $cleaned of 5 handlers ran, $left left" >&2
exit 1
