#!/bin/sh
# build-base-images.sh: builds, without any registry, the local images that stand in for the
# public base images of jinit's Dockerfiles, and the images the Docker test suite runs.
# Everything comes from this host (Debian 12): its glibc, dash, coreutils' env, util-linux's
# setpriv, busybox-static, Temurin 25, Python 3.11, Maven and Debian's supervisor package, put
# together with `docker import` / `docker build`. Nothing is pulled from a registry.
#
# usage: tests/docker/build-base-images.sh [--if-missing] [IMAGE...]
#        (default: base python jre supervisor builder test; jinit only when named)
#
#   IMAGE       tag                      what                               stands in for
#   base        local/base:bookworm      glibc, dash as /bin/sh, GNU env,   debian:bookworm-slim
#                                        util-linux setpriv, busybox
#   python      local/python:3.11        base + the host's python3.11       python:3.12-slim
#   jre         local/jre:25             base + a jlink JRE of Temurin 25   eclipse-temurin:25-jre
#   supervisor  local/supervisor:4       python + Debian's supervisor       debian:bookworm-slim with
#                                        (apt-get download)                 supervisor installed
#   builder     local/maven:temurin-25   base + Temurin 25 JDK + Maven +    maven:3.9-eclipse-temurin-25
#                                        a ~/.m2 with what the Dockerfile's
#                                        build stage needs (works offline)
#   test        jinit-it:latest          base + init/target/jinit-runtime at /opt/jinit + the
#                                        suite's scripts (tests/docker/it), ENTRYPOINT jinit
#   jinit       jinit:latest             the top-level Dockerfile built FROM builder and base
#                                        (Maven runs inside: ~1 min)
#
#   --if-missing   build only the images that do not exist yet
# env: JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64), PYTHON (default /usr/bin/python3.11),
#      MAVEN_HOME (default /usr/share/maven), M2_SEED (default ~/.m2/repository: the builder's
#      Maven repository is resolved from there first, from Maven Central for what is missing)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
PYTHON=${PYTHON:-/usr/bin/python3.11}
MAVEN_HOME=${MAVEN_HOME:-/usr/share/maven}
M2_SEED=${M2_SEED:-$HOME/.m2/repository}
BUSYBOX=${BUSYBOX:-/bin/busybox}
export DOCKER_BUILDKIT=0   # the legacy builder: no buildx needed, FROM a local image never pulls

BASE=local/base:bookworm
PYTHON_IMAGE=local/python:3.11
JRE=local/jre:25
BUILDER=local/maven:temurin-25
SUPERVISOR=local/supervisor:4
TEST=jinit-it:latest
JINIT=jinit:latest

if_missing=false
images=
for a in "$@"; do
  case $a in
    --if-missing) if_missing=true ;;
    base|python|jre|supervisor|builder|test|jinit) images="$images $a" ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-base-images.sh: unknown image or option: $a" >&2; exit 2 ;;
  esac
done
images=${images:-base python jre supervisor builder test}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)
say() { echo "build-base-images: $* ($(( $(date +%s) - t0 ))s)" >&2; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }

# copy_libs ROOT FILE...: the shared libraries FILE... need (ldd), with their paths
copy_libs() {
  root=$1; shift
  for f in "$@"; do ldd "$f" 2>/dev/null || true; done |
    awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u |
    while read -r lib; do
      case $lib in "$root"/*) continue ;; esac
      [ -e "$root$lib" ] || cp -L --parents "$lib" "$root/"
    done
}

# docker build, its output shown only when it fails: docker_build DOCKER-BUILD-ARGS...
docker_build() {
  docker build --force-rm "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; return 1; }
}

# docker build with a generated context: build_image TAG CONTEXT_DIR [docker build args...]
build_image() {
  bi_tag=$1 bi_ctx=$2; shift 2
  docker_build -t "$bi_tag" "$@" "$bi_ctx"
}

build_base() {
  root=$work/base
  mkdir -p "$root/bin" "$root/usr/bin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" \
    "$root/sys" "$root/dev" "$root/var/tmp" "$root/usr/local/bin"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  # As in Debian: /bin/sh is dash, /usr/bin/env is GNU env and /usr/bin/setpriv is util-linux's
  # (the jinit launcher is a sh script and blocks its signals with `env --block-signal`; jinit
  # starts its child through `setpriv --pdeathsig` when it is not PID 1). busybox provides the
  # rest: ps, setsid, sleep, ... as /bin/<applet>, and its own shell as /bin/ash.
  cp /bin/dash "$root/bin/dash"
  ln -s dash "$root/bin/sh"
  cp /usr/bin/env /usr/bin/setpriv "$root/usr/bin/"
  cp "$BUSYBOX" "$root/bin/busybox"
  for a in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$a" ] || [ -e "$root/usr/bin/$a" ] || ln -s busybox "$root/bin/$a"
  done
  # glibc: the loader and the libraries Java and Python link against
  copy_libs "$root" /bin/dash /usr/bin/env /usr/bin/setpriv
  for l in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libz.so.1; do
    cp -L --parents "/lib/x86_64-linux-gnu/$l" "$root/"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf 'hosts: files dns\npasswd: files\ngroup: files\n' > "$root/etc/nsswitch.conf"
  tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' --change 'CMD ["/bin/sh"]' \
    - "$BASE" >/dev/null
}

build_python() {
  ctx=$work/python root=$work/python/root
  mkdir -p "$root/usr/bin" "$root/usr/lib"
  py=$(basename "$PYTHON")   # python3.11
  cp "$PYTHON" "$root/usr/bin/$py"
  ln -s "$py" "$root/usr/bin/python3"
  ln -s "$py" "$root/usr/bin/python"
  # the standard library without what a container never uses
  tar -C /usr/lib -c --exclude="$py/test" --exclude="$py/idlelib" --exclude="$py/tkinter" \
    --exclude="$py/ensurepip" --exclude="$py/lib2to3" --exclude="$py/config-*" \
    --exclude="$py/turtledemo" --exclude="$py/pydoc_data" --exclude="$py/site-packages" \
    --exclude="$py/dist-packages" "$py" | tar -C "$root/usr/lib" -x
  copy_libs "$root" "$PYTHON" "$root/usr/lib/$py"/lib-dynload/*.so
  printf 'FROM %s\nCOPY root/ /\nENV PYTHONUNBUFFERED=1\nCMD ["python3"]\n' "$BASE" > "$ctx/Dockerfile"
  build_image "$PYTHON_IMAGE" "$ctx"
}

build_jre() {
  ctx=$work/jre root=$work/jre/root
  mkdir -p "$root/opt/java"
  "$JDK25/bin/jlink" --add-modules java.base,java.logging,jdk.httpserver,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --output "$root/opt/java/openjdk"
  copy_libs "$root" "$root"/opt/java/openjdk/bin/* $(find "$root/opt/java/openjdk/lib" -name '*.so')
  printf 'FROM %s\nCOPY root/ /\nENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin\nCMD ["jshell"]\n' \
    "$BASE" > "$ctx/Dockerfile"
  build_image "$JRE" "$ctx"
}

build_supervisor() {
  ctx=$work/supervisor root=$work/supervisor/root
  mkdir -p "$root" "$work/debs"
  # Debian's packages, unpacked: supervisor (pure Python) and the pkg_resources it imports
  (cd "$work/debs" && apt-get download supervisor python3-pkg-resources >/dev/null 2>&1) ||
    (cd "$work/debs" && apt-get update -qq && apt-get download supervisor python3-pkg-resources >/dev/null)
  for d in "$work"/debs/*.deb; do dpkg-deb -x "$d" "$root"; done
  rm -rf "$root/etc/init.d" "$root/lib/systemd" "$root/usr/share/doc" "$root/usr/share/man"
  printf 'FROM %s\nCOPY root/ /\nCMD ["supervisord", "--version"]\n' "$PYTHON_IMAGE" > "$ctx/Dockerfile"
  build_image "$SUPERVISOR" "$ctx"
}

# The Maven repository the Dockerfile's build stage needs: the very build it runs, done here in
# a copy of the project, resolving from M2_SEED (a file:// mirror: no network) and, for what
# is not there, from Maven Central.
seed_m2() {
  m2=$1 src=$work/src
  mkdir -p "$src/init" "$src/tests"
  cp "$repo/pom.xml" "$repo/LICENSE" "$src/"
  cp "$repo/init/pom.xml" "$src/init/"
  cp -r "$repo/init/src" "$src/init/"
  cp "$repo/tests/pom.xml" "$src/tests/"
  cat > "$work/seed-settings.xml" <<EOF
<settings><mirrors><mirror><id>seed</id><mirrorOf>*</mirrorOf><url>file://$M2_SEED</url></mirror></mirrors></settings>
EOF
  # the same goals and flags as the Dockerfile's RUN mvn (keep them in step)
  set -- -B -q -f "$src/pom.xml" -Dmaven.repo.local="$m2" -pl init -am package -DskipTests \
    -Djinit.skipTraining=true -Djdk25.home="$JDK25" -Djdk17.home="$JDK25"
  if [ -d "$M2_SEED" ] && JAVA_HOME=$JDK25 mvn -s "$work/seed-settings.xml" "$@" >"$work/seed.log" 2>&1; then
    :
  else
    say "seeding from $M2_SEED was not enough, resolving the rest from Maven Central"
    JAVA_HOME=$JDK25 mvn "$@" >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; return 1; }
  fi
  # no trace of the file:// mirror may stay behind (Maven would prefer it in the image)
  find "$m2" \( -name '_remote.repositories' -o -name '*.lastUpdated' -o -name 'resolver-status.properties' \) -delete
}

build_builder() {
  ctx=$work/builder root=$work/builder/root
  mkdir -p "$root/opt/java" "$root/usr/share" "$root/root/.m2" "$root/usr/bin"
  # Temurin 25 as it is, without its sources (jlink links from the run-time image and checks
  # every other file of it, man pages included, against its hashes: JEP 493)
  # (-h: Debian's Temurin links lib/security/cacerts to /etc/ssl/certs/java/cacerts)
  tar -C "$JDK25/.." -c -h --exclude='*/lib/src.zip' "$(basename "$JDK25")" |
    tar -C "$root/opt/java" -x
  mv "$root/opt/java/$(basename "$JDK25")" "$root/opt/java/openjdk"
  copy_libs "$root" "$root"/opt/java/openjdk/bin/* "$root/opt/java/openjdk/lib/server/libjvm.so" \
    $(find "$root/opt/java/openjdk/lib" -maxdepth 1 -name '*.so' ! -name 'libawt*' ! -name 'libsplashscreen.so' \
      ! -name 'libfontmanager.so' ! -name 'libjawt.so' ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so')
  # Maven (Debian's: its lib/ and boot/ are links into /usr/share/java, copied as files)
  cp -rL "$MAVEN_HOME" "$root/usr/share/maven"
  ln -s ../share/maven/bin/mvn "$root/usr/bin/mvn"
  seed_m2 "$root/root/.m2/repository"
  printf '%s\n' "FROM $BASE" 'COPY root/ /' \
    'ENV JAVA_HOME=/opt/java/openjdk MAVEN_HOME=/usr/share/maven PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin' \
    'CMD ["mvn", "--version"]' > "$ctx/Dockerfile"
  build_image "$BUILDER" "$ctx"
}

# The suite's image: the runtime as built on this host, plus its test programs.
build_test() {
  rt=$repo/init/target/jinit-runtime
  [ -x "$rt/bin/jinit" ] || { echo "build-base-images.sh: $rt missing: run init/src/build/make-runtime.sh" >&2; return 1; }
  tar -c -C "$repo/init/target" jinit-runtime -C "$here/it" . > "$work/test-context.tar"
  docker_build -t "$TEST" --build-arg BASE_IMAGE="$BASE" - < "$work/test-context.tar"
}

build_jinit() {
  docker_build -t "$JINIT" --build-arg BUILD_IMAGE="$BUILDER" --build-arg BASE_IMAGE="$BASE" "$repo"
}

for i in $images; do
  case $i in
    base) tag=$BASE ;; python) tag=$PYTHON_IMAGE ;; jre) tag=$JRE ;; supervisor) tag=$SUPERVISOR ;;
    builder) tag=$BUILDER ;; test) tag=$TEST ;; jinit) tag=$JINIT ;;
  esac
  if $if_missing && exists "$tag"; then say "$tag present"; continue; fi
  case $i in
    python|jre|supervisor|builder|test|jinit) exists "$BASE" || { build_base; say "$BASE built"; } ;;
  esac
  case $i in supervisor) exists "$PYTHON_IMAGE" || { build_python; say "$PYTHON_IMAGE built"; } ;; esac
  case $i in jinit) exists "$BUILDER" || { build_builder; say "$BUILDER built"; } ;; esac
  old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  "build_$i"
  new=$(docker image inspect -f '{{.Id}}' "$tag")
  # the image this tag named before, if nothing else uses it (children, containers: rmi refuses)
  [ -z "$old" ] || [ "$old" = "$new" ] || docker rmi "$old" >/dev/null 2>&1 || true
  say "$tag built ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
done
