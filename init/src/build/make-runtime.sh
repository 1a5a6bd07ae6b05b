#!/bin/sh
# make-runtime.sh: turn a built init/target into a self-contained jinit runtime:
#
#   jinit-runtime/
#     bin/java, lib/..., conf/...   a jlink image (java.base, java.logging, jdk.unsupported)
#     bin/jinit                     the launcher (it picks bin/java next to itself)
#     lib/jinit/                    jinit.jar, its dependencies and jvm.options
#
# The directory can be copied anywhere (e.g. /opt/jinit in an image) and needs nothing from
# the system but glibc. Run `mvn -B -q package -DskipTests` first.
#
# usage: make-runtime.sh [--jdk DIR] [--modules LIST] [--target DIR] [--output DIR]
#                        [--no-aot] [--no-check]
#   --jdk DIR      JDK whose jlink is used and whose JVM the runtime carries
#                  (default: $JDK, else /usr/lib/jvm/temurin-25-jdk-amd64, else $JAVA_HOME).
#                  A JDK without jmods/ (Temurin 24+) links from its run-time image (JEP 493).
#   --modules L    modules of the image (default: java.base,java.logging,jdk.unsupported;
#                  jnr-ffi needs java.logging, jnr's jffi needs jdk.unsupported)
#   --target DIR   the built init/target (default: the one next to this script)
#   --output DIR   where the runtime goes (default: TARGET/jinit-runtime); replaced as a whole
#   --no-aot       do not train the AOT cache lib/jinit/cds/<version>.aot (made by default
#                  when the JDK is 25+; the launcher uses it, jinit then starts ~2x faster;
#                  the cache is ~13 MB and stays valid wherever the directory is moved)
#   --no-check     do not run the new runtime once (`bin/jinit -- /bin/sh -c 'exit 3'`)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jdk=${JDK:-}
modules=java.base,java.logging,jdk.unsupported
target=$here/../../target
output=
aot=true
check=true
while [ $# -gt 0 ]; do
  case $1 in
    --jdk) jdk=$2; shift 2 ;;
    --modules) modules=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --no-aot) aot=false; shift ;;
    --no-check) check=false; shift ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-runtime.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$jdk" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink ]; then jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  elif [ -n "${JAVA_HOME:-}" ]; then jdk=$JAVA_HOME
  else echo "make-runtime.sh: no JDK: pass --jdk or set JDK or JAVA_HOME" >&2; exit 1
  fi
fi
[ -x "$jdk/bin/jlink" ] || { echo "make-runtime.sh: $jdk/bin/jlink not found (a JDK is needed, not a JRE)" >&2; exit 1; }
target=$(cd "$target" && pwd)
output=${output:-$target/jinit-runtime}
for f in "$target/jinit" "$target/lib/jinit.jar" "$target/lib/jvm.options"; do
  [ -f "$f" ] || { echo "make-runtime.sh: $f missing: run 'mvn -B -q package -DskipTests' first" >&2; exit 1; }
done

# Build next to the output and swap at the end, so a failed run leaves the old runtime intact.
work=$output.tmp.$$
trap 'rm -rf "$work" "$work.out"' EXIT
rm -rf "$work"
mkdir -p "$(dirname "$output")"

# 1. the jlink image
#    JAVA_RUNTIME_VERSION goes into the image's release file: the launcher keys the class-data
#    archive by it, and jlink does not copy it.
#    --strip-debug also strips native symbols, with objcopy (binutils); where there is none
#    (slim build images) only the Java debug attributes go, which for Temurin, whose native
#    libraries come stripped, gives the same image.
rtv=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$jdk/release" 2>/dev/null)
strip=--strip-debug
command -v objcopy >/dev/null 2>&1 || strip=--strip-java-debug-attributes
"$jdk/bin/jlink" --add-modules "$modules" $strip --no-header-files --no-man-pages \
  ${rtv:+--release-info "add:JAVA_RUNTIME_VERSION=\"$rtv\""} --output "$work"
[ -x "$work/bin/java" ] || { echo "make-runtime.sh: jlink produced no bin/java" >&2; exit 1; }

# 2. jinit's jars and JVM options, the launcher
mkdir -p "$work/lib/jinit"
cp "$target"/lib/*.jar "$target/lib/jvm.options" "$work/lib/jinit/"
# jffi's stub for the jnr backend, so that it is not extracted into /tmp at start
[ -d "$target/lib/native" ] && cp -R "$target/lib/native" "$work/lib/jinit/"
cp "$target/jinit" "$work/bin/jinit"
chmod 755 "$work/bin/jinit"

# 3. the class-data archive the launcher picks up (lib/jinit/cds/<JAVA_RUNTIME_VERSION>.aot,
#    see init/src/build/train.sh): an AOT cache (JDK 25+, JEP 514) trained by one real run
#    of this runtime. init/target/lib/cds is not copied: those archives belong to the full
#    JDKs they were made with and do not match this image's modules.
rtv=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$work/release")
feature=${rtv%%[.+-]*}
if $aot && [ "${feature:-0}" -ge 25 ]; then
  sh "$(dirname "$0")/train.sh" "$work" "$work" >"$work.out" 2>&1
  log=$work/lib/jinit/cds/train-$feature.log
  [ -s "$work/lib/jinit/cds/$rtv.aot" ] || { echo "make-runtime.sh: the AOT training run made no cache:" >&2; cat "$work.out" "$log" >&2; exit 1; }
  rm -f "$log"
elif $aot; then
  echo "make-runtime.sh: Java $rtv has no one-step AOT cache (JDK 25+): none made" >&2
fi

# 4. one run of the new runtime as it is (a plain child of this shell, so jinit is a subreaper)
#    A healthy run prints nothing (an unusable AOT cache would be reported on stderr).
if $check; then
  rc=0
  "$work/bin/jinit" -- /bin/sh -c 'exit 3' </dev/null >"$work.out" 2>&1 || rc=$?
  if [ "$rc" != 3 ] || [ -s "$work.out" ]; then
    echo "make-runtime.sh: '$work/bin/jinit -- sh -c \"exit 3\"' exited $rc (expected 3) and printed:" >&2
    cat "$work.out" >&2
    exit 1
  fi
  rm -f "$work.out"
fi

rm -rf "$output"
mv "$work" "$output"
trap - EXIT
echo "make-runtime.sh: $output ($(du -sh "$output" | cut -f1), $("$output/bin/java" -version 2>&1 | head -1), modules $modules$([ -d "$output/lib/jinit/cds" ] && echo ", AOT cache"))" >&2
