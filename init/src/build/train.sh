#!/bin/sh
# Builds the class-data archives the launcher uses: for each JDK given, runs the launcher once
# on a short training workload (start, spawn, relay, reap, exit) with the JVM told to record
# what it loads, and writes lib/cds/<JAVA_RUNTIME_VERSION>.aot (JDK 25+: AOT cache) or .jsa
# (JDK 17-24: dynamic AppCDS archive). The launcher picks the file matching its runtime and
# runs without one when there is none. Usage: train.sh TARGET_DIR JAVA_HOME...
set -u
target=$1; shift
launcher=$target/jinit
cds=$target/lib/cds
mkdir -p "$cds"
for jhome in "$@"; do
  [ -x "$jhome/bin/java" ] && [ -r "$jhome/release" ] || { echo "train: no JDK at $jhome, skipped"; continue; }
  rtv=
  while IFS='=' read -r k v; do [ "$k" = JAVA_RUNTIME_VERSION ] && rtv=$v; done < "$jhome/release"
  rtv=${rtv#\"}; rtv=${rtv%\"}
  feature=${rtv%%[.+-]*}
  rm -f "$cds/$rtv.aot" "$cds/$rtv.jsa"
  if [ "$feature" -ge 25 ]; then
    file=$cds/$rtv.aot; opt=-XX:AOTCacheOutput=$file
  else
    file=$cds/$rtv.jsa; opt=-XX:ArchiveClassesAtExit=$file
  fi
  # the workload: a child that gets a relayed signal, an orphan to reap, a verbose log line
  JINIT_JAVA_HOME=$jhome JINIT_JAVA_OPTS="$opt" "$launcher" -v -t 2s -- \
    sh -c 'trap "exit 0" USR1; (sleep 0.05 &); kill -USR1 $PPID; while :; do sleep 0.02; done' \
    > "$cds/train-$feature.log" 2>&1
  if [ -s "$file" ]; then
    echo "train: $file ($(wc -c < "$file") bytes)"
  else
    echo "train: no archive for $jhome (see $cds/train-$feature.log)"
  fi
done
