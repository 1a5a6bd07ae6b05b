#!/usr/bin/env bash
# jinit benchmark: jinit (each runtime path) against tini, dumb-init and catatonit, side by side.
# See tests/bench/README.md. Usage: tests/bench/run.sh [--quick] [--sections LIST] [--out FILE] [--keep]
#
# Installs what it needs through apt-get (nothing else touches the network), builds jinit if
# init/target/jinit is missing, compiles the helpers into a temporary directory, runs bench.py,
# writes the report (tests/bench/RESULTS.md for a full run; a --quick one is only printed unless
# --out is given) and prints it. Needs root (PID namespaces). A benchmark, not a test: no
# assertions, no pass/fail.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cmdline="tests/bench/run.sh${*:+ $*}"

quick=
sections=
out=
keep=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --sections) sections=$2; shift ;;
    --sections=*) sections=${1#*=} ;;
    --out) out=$2; shift ;;
    --out=*) out=${1#*=} ;;
    --keep) keep=1 ;;
    -h|--help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      echo "sections: startup,memory,reap,relay,shutdown (default: all)"
      echo "environment: JDK17_HOME, JDK25_HOME (default /usr/lib/jvm/java-17-openjdk-amd64,"
      echo "             /usr/lib/jvm/temurin-25-jdk-amd64)"
      exit 0 ;;
    *) echo "run.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$(id -u)" != 0 ]; then
  echo "run.sh: needs root (unshare --pid, as PID 1 in a fresh PID namespace)" >&2
  exit 1
fi

jdk17=${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

# --- tools, from Debian only ---------------------------------------------------------------
need=()
for t in hyperfine:hyperfine tini:tini dumb-init:dumb-init catatonit:catatonit gcc:gcc \
         python3:python3 unshare:util-linux; do
  command -v "${t%%:*}" >/dev/null 2>&1 || need+=("${t#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "run.sh: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

# --- jinit -----------------------------------------------------------------------------------
jinit=$repo/init/target/jinit
if [ ! -x "$jinit" ]; then
  echo "run.sh: building jinit (mvn -B -q package -DskipTests)" >&2
  (cd "$repo" && mvn -B -q package -DskipTests) >&2
fi

# --- helpers ---------------------------------------------------------------------------------
build=$(mktemp -d /tmp/jinit-bench.XXXXXX)
cleanup() {
  if [ -n "$keep" ]; then echo "run.sh: kept $build" >&2; else rm -rf "$build"; fi
}
trap cleanup EXIT
for src in "$here"/src/*.c; do
  gcc -O2 -Wall -o "$build/$(basename "$src" .c)" "$src"
done
javac=
for j in "$jdk17" "$jdk25"; do
  if [ -x "$j/bin/javac" ]; then javac=$j/bin/javac; break; fi
done
[ -n "$javac" ] || { echo "run.sh: no javac in $jdk17 or $jdk25" >&2; exit 1; }
"$javac" --release 17 -d "$build" "$here/src/Floor.java"
"${javac%/javac}/jar" cf "$build/floor.jar" -C "$build" Floor.class # an AOT cache wants a jar

# the jlink runtime (init/src/build/make-runtime.sh) on JDK 25: the Docker image's jinit, a row of its own
runtime=
if [ -x "$jdk25/bin/jlink" ]; then
  if sh "$repo/init/src/build/make-runtime.sh" --jdk "$jdk25" --output "$build/jinit-runtime" >&2; then
    runtime=$build/jinit-runtime
  else
    echo "run.sh: no jlink runtime: its row is left out" >&2
  fi
fi

if [ -z "$out" ]; then
  if [ -n "$quick" ]; then out=$build/RESULTS-quick.md; else out=$here/RESULTS.md; fi
fi
out=$(realpath -m -- "$out")

args=(--build "$build" --jinit "$jinit" --repo "$repo" --jvm-options "$repo/init/target/lib/jvm.options"
      --jdk17 "$jdk17" --jdk25 "$jdk25" --runtime "$runtime" --out "$out" --command "$cmdline")
[ -n "$quick" ] && args+=(--quick)
[ -n "$sections" ] && args+=(--sections "$sections")
cd "$repo"
python3 "$here/bench.py" "${args[@]}"
