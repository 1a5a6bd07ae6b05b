#!/usr/bin/env bash
# jinit soak: a long run that checks jinit does not leak. Not part of `mvn verify` (it takes
# minutes); FaultsTest runs a short version of the same load.
#
#   tests/soak/run.sh [--orphans N] [--signals N] [--java-home DIR] [--mode pid1|subreaper]
#
# Runs init/target/jinit (build it first: mvn -B -q package -DskipTests) with tests/soak/soak.c
# as its main child: a warm-up phase (10 000 orphans, 1 000 relayed signals), then the soak
# (default 1 000 000 orphans re-parented to jinit and reaped, 100 000 signals relayed and
# waited for one by one). Before the warm-up, after it and after the soak it reads jinit's
# /proc status (VmRSS, VmHWM, threads) and open descriptors; the JVM logs its heap after each
# GC (-Xlog:gc, through JINIT_JAVA_OPTS), and native memory tracking prints its summary at
# exit. Prints a table; exits 1 when threads or descriptors changed, or a signal was lost.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
orphans=1000000 signals=100000 mode=pid1
java_home=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
while [ $# -gt 0 ]; do
  case $1 in
    --orphans) orphans=$2; shift 2 ;;
    --signals) signals=$2; shift 2 ;;
    --java-home) java_home=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
jinit=$repo/init/target/jinit
[ -x "$jinit" ] || { echo "run.sh: $jinit missing: mvn -B -q package -DskipTests first" >&2; exit 1; }
if [ "$mode" = pid1 ] && [ "$(id -u)" != 0 ]; then echo "run.sh: --mode pid1 needs root (unshare --pid)" >&2; exit 1; fi

work=$(mktemp -d /tmp/jinit-soak.XXXXXX)
trap 'kill -9 "$runner" 2>/dev/null || true; rm -rf "$work"' EXIT
cc -O2 -o "$work/soak" "$here/soak.c"

prefix=()
[ "$mode" = pid1 ] && prefix=(unshare --pid --fork --mount-proc)
# -Djinit.halt=true: jinit leaves through the JVM's exit, not _exit, so that NMT prints its summary
JINIT_JAVA_HOME=$java_home \
JINIT_JAVA_OPTS="-Xlog:gc:file=$work/gc.log -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics -Djinit.halt=true" \
  "${prefix[@]}" "$jinit" -- "$work/soak" "$work" 10000 1000 "$orphans" "$signals" >"$work/stdout" 2>"$work/stderr" &
runner=$!

wait_for() { while [ ! -e "$work/$1" ]; do sleep 0.2; kill -0 "$runner" 2>/dev/null || { echo "run.sh: jinit exited early:" >&2; cat "$work/stderr" >&2; exit 1; }; done; }
wait_for ready
# jinit's pid: the runner itself (subreaper) or unshare's child (PID 1)
pid=$runner
if [ "$mode" = pid1 ]; then pid=$(cat "/proc/$runner/task/$runner/children" | cut -d' ' -f1); fi

sample() { # label
  local rss hwm threads fds
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  heap=$(grep -o 'Pause[^)]*) [0-9]*[KMG]->[0-9]*[KMG]([0-9]*[KMG])' "$work/gc.log" 2>/dev/null | tail -1 | sed 's/.*) //')
  printf '%-16s %10s %10s %8s %5s  %s\n' "$1" "$rss" "$hwm" "$threads" "$fds" "${heap:-no GC yet}" | tee -a "$work/table"
  eval "${1//[^a-z]/_}_threads=$threads ${1//[^a-z]/_}_fds=$fds"
}

java_version=$("$java_home/bin/java" -version 2>&1 | head -1)
echo "jinit soak: mode=$mode, $java_version, $orphans orphans, $signals signals"
printf '%-16s %10s %10s %8s %5s  %s\n' "" "VmRSS kB" "VmHWM kB" "threads" "fds" "heap at the last GC (before->after(committed))"
sample "start"
touch "$work/go1"; wait_for done1
sample "after warm-up"
touch "$work/go2"
wait_for done2
sample "after soak"
echo "warm-up: $(cat "$work/done1")"
echo "soak:    $(cat "$work/done2")"
gcs=$(grep -c 'Pause' "$work/gc.log" || true)
echo "GCs during the whole run: $gcs; the last ones:"
grep 'Pause' "$work/gc.log" | tail -3 | sed 's/^/  /'
touch "$work/end"
wait "$runner" || { echo "run.sh: jinit exited $?" >&2; cat "$work/stderr" >&2; }
echo "native memory (NMT summary at exit, committed):"
# the JVM's own output goes to stderr (-XX:+DisplayVMOutputToStderr in lib/jvm.options)
cat "$work/stdout" "$work/stderr" | grep -E '^(Total|-  *(Java Heap|Class|Thread|Code|GC|Internal|Other|Symbol|Native Memory Tracking|Arena Chunk|Metaspace))' | sed 's/^/  /' || true

rc=0
[ "$after_warm_up_threads" = "$after_soak_threads" ] || { echo "FAIL: threads $after_warm_up_threads -> $after_soak_threads"; rc=1; }
[ "$start_fds" = "$after_soak_fds" ] || { echo "FAIL: descriptors $start_fds -> $after_soak_fds"; rc=1; }
grep -q 'lost=0 ' "$work/done2" || { echo "FAIL: signals lost"; rc=1; }
[ $rc = 0 ] && echo "OK: threads and descriptors flat, no signal lost"
exit $rc
