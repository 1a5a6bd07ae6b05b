#!/bin/sh
# Builds the class-data archives the launcher uses: for each JDK given, runs the launcher once
# on a short training workload (start, spawn, relay, reap, exit) with the JVM told to record
# what it loads, and writes lib/cds/<JAVA_RUNTIME_VERSION>.aot (JDK 25+: AOT cache) or .jsa
# (JDK 17-24: dynamic AppCDS archive). The launcher picks the file matching its runtime and
# runs without one when there is none. Usage: train.sh TARGET_DIR|RUNTIME_IMAGE JAVA_HOME...
set -u
target=$1; shift
if [ -x "$target/bin/jinit" ]; then # a runtime image made by make-runtime.sh
  launcher=$target/bin/jinit cds=$target/lib/jinit/cds
else # the build's target directory
  launcher=$target/jinit cds=$target/lib/cds
fi
mkdir -p "$cds"
workload='trap : USR1; trap "exit 0" TERM
kill -USR1 $PPID; sleep 0.05
(sleep 0.05 &)
setsid sleep 5 &
sh -c "trap \"\" TERM; exec sleep 5" &
sleep 0.1; kill -TERM $PPID
while :; do sleep 0.02; done'
for jhome in "$@"; do
  [ -x "$jhome/bin/java" ] && [ -r "$jhome/release" ] || { echo "train: no JDK at $jhome, skipped"; continue; }
  rtv=
  while IFS='=' read -r k v; do [ "$k" = JAVA_RUNTIME_VERSION ] && rtv=$v; done < "$jhome/release"
  rtv=${rtv#\"}; rtv=${rtv%\"}
  feature=${rtv%%[.+-]*}
  rm -f "$cds/$rtv.aot" "$cds/$rtv.jsa"
  if [ "$feature" -ge 25 ]; then
    # no method profiles in the cache: jinit's JVM has only C1 (-XX:TieredStopAtLevel=1), which does
    # not use them, and replaying them cost about 15 ms of CPU at every start (measured on JDK 25)
    file=$cds/$rtv.aot
    opt="-XX:AOTCacheOutput=$file -Djinit.halt=true -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining"
  else
    file=$cds/$rtv.jsa; opt="-XX:ArchiveClassesAtExit=$file -Djinit.halt=true"
  fi
  # the workload walks every path of a run, so that what they load and link is archived: a
  # relayed signal, an orphan to reap, a stop signal with a process that left the child's session
  # (the /proc scan), leftovers after the child's exit, one that ignores TERM until the
  # deadline's KILL, verbose log lines
  JINIT_JAVA_HOME=$jhome JINIT_JAVA_OPTS="$opt" "$launcher" -v -t 300ms -- sh -c "$workload" \
    > "$cds/train-$feature.log" 2>&1
  if [ -s "$file" ]; then
    echo "train: $file ($(wc -c < "$file") bytes)"
  else
    echo "train: no archive for $jhome (see $cds/train-$feature.log)"
  fi
done
