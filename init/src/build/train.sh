#!/bin/sh
# Builds the class-data archives the launcher uses: for each JDK given, runs the launcher once
# on a short training workload (workload.sh: relay, reap, stop, exit) with the JVM told to record
# what it loads, and writes lib/cds/<JAVA_RUNTIME_VERSION>.aot (JDK 25+: AOT cache) or .jsa
# (JDK 17-24: dynamic AppCDS archive). The launcher picks the file matching its runtime and
# runs without one when there is none. In a build's target it also writes lib/cds/runtimes
# ("VERSION JAVA_HOME" a line, AOT caches first: the fastest first), where the launcher finds a
# runtime when it is given none. Usage: train.sh TARGET_DIR|RUNTIME_IMAGE JAVA_HOME...
set -u
target=$1; shift
if [ -x "$target/bin/jinit" ]; then # a runtime image made by make-runtime.sh
  launcher=$target/bin/jinit cds=$target/lib/jinit/cds runtimes=
else # the build's target directory
  launcher=$target/jinit cds=$target/lib/cds runtimes=$target/lib/cds/runtimes
fi
mkdir -p "$cds"
aot= jsa=
here=$(cd "$(dirname "$0")" && pwd)
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
  # workload.sh walks every path of a run (relay, reap, stop, leftovers, the deadline's KILL);
  # -v adds the log's; the control and notify sockets are on, so that their classes are archived
  # too (a jinit without them does not load them, archived or not)
  sock=${TMPDIR:-/tmp}/jinit-train.$$.sock
  JINIT_JAVA_HOME=$jhome JINIT_JAVA_OPTS="$opt" TMPDIR=${TMPDIR:-/tmp} "$launcher" -v -t 300ms --control-socket "$sock" --notify \
    -- sh "$here/workload.sh" > "$cds/train-$feature.log" 2>&1
  rm -f "$sock"
  if [ -s "$file" ]; then
    echo "train: $file ($(wc -c < "$file") bytes)"
    case $file in *.aot) aot="$aot$rtv $jhome
" ;; *) jsa="$jsa$rtv $jhome
" ;; esac
  else
    echo "train: no archive for $jhome (see $cds/train-$feature.log)"
  fi
done
[ -z "$runtimes" ] || printf '%s%s' "$aot" "$jsa" > "$runtimes"
