#!/bin/sh
# make-runtime.sh: turn a built init/target into a self-contained jinit runtime:
#
#   jinit-runtime/
#     bin/java, lib/..., conf/...   a jlink image (java.base; with jnr also java.logging and
#                                   jdk.unsupported), without the JDK's tools (keytool)
#     bin/jinit                     the launcher (it picks bin/java next to itself)
#     lib/jinit/                    jinit.jar, the dependencies it loads and jvm.options
#     legal/                        the JDK's notices (legal/java.base, ...), and in
#                                   legal/jinit/ jinit's LICENSE and the notice of every
#                                   component in lib/jinit
#
# The directory can be copied anywhere (e.g. /opt/jinit in an image) and needs nothing from
# the system but glibc. Run `mvn -B -q package -DskipTests` first.
#
# On JDK 22+ jinit uses its FFM backend and never loads jnr (jnr-posix, jnr-ffi, jffi, asm:
# ~4 MB): the runtime leaves them out, and `-Djinit.native=jnr` (JINIT_JAVA_OPTS) then fails
# at start in one line ("jinit: internal error: java.lang.NoClassDefFoundError: ...", exit 1).
# --jnr keeps them.
# On JDK 17-21 jnr is the backend and always goes in.
#
# usage: make-runtime.sh [--jdk DIR] [--modules LIST] [--jnr] [--target DIR] [--output DIR]
#                        [--no-aot] [--no-check]
#   --jdk DIR      JDK whose jlink is used and whose JVM the runtime carries
#                  (default: $JDK, else /usr/lib/jvm/temurin-25-jdk-amd64, else $JAVA_HOME).
#                  A JDK without jmods/ (Temurin 24+) links from its run-time image (JEP 493).
#   --modules L    modules of the image (default: java.base; with jnr also java.logging,
#                  which jnr-ffi needs, and jdk.unsupported, which jnr's jffi needs)
#   --jnr          ship the jnr backend on JDK 22+ too (for -Djinit.native=jnr)
#   --target DIR   the built init/target (default: the one next to this script)
#   --output DIR   where the runtime goes (default: TARGET/jinit-runtime); replaced as a whole
#   --no-aot       do not train the AOT cache lib/jinit/cds/<version>.aot (made by default
#                  when the JDK is 25+; the launcher uses it, jinit then starts ~2x faster;
#                  the cache is ~13 MB and stays valid wherever the directory is moved)
#   --no-check     do not run the new runtime once (`bin/jinit -- /bin/sh -c 'exit 3'`)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jdk=${JDK:-}
modules=
jnr=false
target=$here/../../target
output=
aot=true
check=true
while [ $# -gt 0 ]; do
  case $1 in
    --jdk) jdk=$2; shift 2 ;;
    --modules) modules=$2; shift 2 ;;
    --jnr) jnr=true; shift ;;
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
for f in "$target/jinit" "$target/lib/jinit.jar" "$target/lib/jvm.options" "$target/legal/LICENSE"; do
  [ -f "$f" ] || { echo "make-runtime.sh: $f missing: run 'mvn -B -q package -DskipTests' first" >&2; exit 1; }
done

# Build next to the output and swap at the end, so a failed run leaves the old runtime intact.
work=$output.tmp.$$
trap 'rm -rf "$work" "$work.out"' EXIT
rm -rf "$work"
mkdir -p "$(dirname "$output")"

# The backend the runtime's Java uses: FFM from JDK 22 on, where jnr is left out (unless --jnr)
jver=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$jdk/release" 2>/dev/null)
[ "${jver%%[.+-]*}" -ge 22 ] 2>/dev/null || jnr=true
$jnr && modules=${modules:-java.base,java.logging,jdk.unsupported}
modules=${modules:-java.base}

# 1. the jlink image
#    JAVA_RUNTIME_VERSION goes into the image's release file: the launcher keys the class-data
#    archive by it, and jlink does not copy it.
#    --strip-debug also strips native symbols, with objcopy (binutils); where there is none
#    (slim build images) only the Java debug attributes go, which for Temurin, whose native
#    libraries come stripped, gives the same image.
#    Left out, as jinit's JVM never uses them: keytool and jexec (tools), the TLS trust store
#    and public suffix list (jinit makes no TLS connection), classlist (for -Xshare:dump) and
#    jrt-fs.jar (lets another JDK read this image's modules).
rtv=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$jdk/release" 2>/dev/null)
strip=--strip-debug
command -v objcopy >/dev/null 2>&1 || strip=--strip-java-debug-attributes
"$jdk/bin/jlink" --add-modules "$modules" $strip --no-header-files --no-man-pages \
  --exclude-files='**/bin/keytool,**/lib/jexec,**/lib/security/cacerts,**/lib/security/public_suffix_list.dat,**/lib/classlist,**/lib/jrt-fs.jar' \
  ${rtv:+--release-info "add:JAVA_RUNTIME_VERSION=\"$rtv\""} --output "$work"
[ -x "$work/bin/java" ] || { echo "make-runtime.sh: jlink produced no bin/java" >&2; exit 1; }

# 2. jinit's jars and JVM options, the launcher; with jnr, jffi's stub, so that it is not
#    extracted into /tmp at start. (jinit.jar's Class-Path names the jnr jars too: the JVM
#    skips the missing ones.)
mkdir -p "$work/lib/jinit"
cp "$target/lib/jvm.options" "$work/lib/jinit/"
for f in "$target"/lib/*.jar; do
  case ${f##*/} in
    jinit.jar|slf4j-*.jar) cp "$f" "$work/lib/jinit/" ;;
    *) ! $jnr || cp "$f" "$work/lib/jinit/" ;;
  esac
done
if $jnr && [ -d "$target/lib/native" ]; then cp -R "$target/lib/native" "$work/lib/jinit/"; fi
cp "$target/jinit" "$work/bin/jinit"
chmod 755 "$work/bin/jinit"

# 3. legal/jinit: jinit's LICENSE, the notice of each component shipped in lib/jinit
#    (target/legal/NAME.md, for NAME-VERSION.jar or its family: asm-tree -> asm.md) and the
#    licence texts those notices point to ("text: FILE beside this file")
mkdir -p "$work/legal/jinit"
cp "$target/legal/LICENSE" "$work/legal/jinit/"
for f in "$work"/lib/jinit/*.jar; do
  name=${f##*/}; name=${name%%-[0-9]*}
  [ "$name" = jinit.jar ] && continue
  for n in "$name" "${name%%-*}"; do
    [ -f "$target/legal/$n.md" ] && { cp "$target/legal/$n.md" "$work/legal/jinit/"; continue 2; }
  done
  echo "make-runtime.sh: no notice for ${f##*/} in $target/legal (add init/src/legal/$name.md)" >&2; exit 1
done
for t in $(sed -n 's/.*(text: \([^ )]*\) beside this file).*/\1/p' "$work"/legal/jinit/*.md 2>/dev/null | sort -u); do
  cp "$target/legal/$t" "$work/legal/jinit/"
done

# 4. the class-data archive the launcher picks up (lib/jinit/cds/<JAVA_RUNTIME_VERSION>.aot,
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

# 5. one run of the new runtime as it is (a plain child of this shell, so jinit is a subreaper)
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
