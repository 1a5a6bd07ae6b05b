# Shared by build-image.sh and setup-builder.sh (sourced, bash).
#
# Versions are pinned in the top-level pom.xml (graalvm.version, graalvm.builder.jdk,
# jdk25.home, slf4j.version); Maven passes them in the environment, and a build started by hand
# reads them from the pom, so they are written down in one place only.

NATIVE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$NATIVE_DIR/../../../.." && pwd)

say() { printf 'jinit: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# A native executable cannot be made on this machine (something to install or reach is
# missing): one line, exit status 3, which build-image.sh turns into success (the build goes on
# with the JVM form) unless JINIT_REQUIRE_NATIVE=true (CI), which makes it a failure.
NOT_POSSIBLE=3
not_possible() {
    case ${JINIT_REQUIRE_NATIVE:-} in
        true) die "$* (and -Djinit.requireNative=true)" ;;
        false) say "$*; building the JVM form only" ;;
        *) say "$*" ;;
    esac
    exit "$NOT_POSSIBLE"
}

# the value of a <NAME>...</NAME> property in the top-level pom
pom_property() {
    sed -n "s:.*<$1>\\(.*\\)</$1>.*:\\1:p" "$REPO_DIR/pom.xml" | head -1
}

# the maven-dependency-plugin version the project pins (pluginManagement of the top-level pom)
pom_dependency_plugin_version() {
    awk '/<artifactId>maven-dependency-plugin<\/artifactId>/ { f = 1; next }
         f && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$REPO_DIR/pom.xml"
}

load_versions() {
    : "${JINIT_GRAALVM_VERSION:=$(pom_property graalvm.version)}"
    : "${JINIT_BUILDER_JDK:=$(pom_property graalvm.builder.jdk)}"
    : "${JINIT_JDK25_HOME:=$(pom_property jdk25.home)}"
    : "${JINIT_SLF4J_VERSION:=$(pom_property slf4j.version)}"
    : "${JINIT_NATIVE_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/jinit}"
    : "${JINIT_MVN:=mvn}"
}

# "25.0.3+9" for a JDK whose release file says JAVA_RUNTIME_VERSION="25.0.3+9-LTS"
jdk_version() {
    local v
    v=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$1/release" 2>/dev/null)
    printf '%s\n' "${v%%-*}"
}

# The builder runs GraalVM's compiler on the JDK through JVMCI: the svm jars are made for one
# JDK build (svm 25.0.4 refuses Temurin 25.0.3; 25.0.2 works on it). Stops with one line.
check_builder_jdk() {
    local jdk=$1 have
    [ -x "$jdk/bin/java" ] || not_possible "no native executable: no JDK at $jdk for GraalVM $JINIT_GRAALVM_VERSION's builder (it needs JDK $JINIT_BUILDER_JDK, e.g. Temurin; set -Djdk25.home=...)"
    have=$(jdk_version "$jdk")
    if [ "$have" != "$JINIT_BUILDER_JDK" ]; then
        die "GraalVM $JINIT_GRAALVM_VERSION's builder needs JDK $JINIT_BUILDER_JDK (Temurin ${JINIT_BUILDER_JDK%%+*}, JVMCI $JINIT_BUILDER_JDK); $jdk is ${have:-of unknown version}: set -Djdk25.home=<a JDK $JINIT_BUILDER_JDK>, or -Dgraalvm.version=<svm version> -Dgraalvm.builder.jdk=<the JDK it needs>, or -Djinit.skipNative=true"
    fi
    grep -q 'jdk.internal.vm.ci' "$jdk/release" || die "$jdk has no jdk.internal.vm.ci module (JVMCI): GraalVM's builder cannot run on it"
}

# the directory of the builder made from these versions and these set-up files: any change to
# the set-up scripts, the C sources, the self-test or the image flags makes a new one
builder_dir() {
    local hash
    hash=$(cd "$NATIVE_DIR" && find setup-builder.sh native-image common.sh image.flags c selftest -type f | LC_ALL=C sort |
        xargs sha256sum | sha256sum | cut -c1-12)
    printf '%s/builder-svm%s-jdk%s-%s\n' "$JINIT_NATIVE_CACHE" "$JINIT_GRAALVM_VERSION" "$JINIT_BUILDER_JDK" "$hash"
}

MUSL_CC=x86_64-linux-musl-gcc

# The image flags (image.flags), one per array element, comments and blank lines dropped.
read_image_flags() {
    IMAGE_FLAGS=()
    local line
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%%#*}
        line=$(printf '%s' "$line" | sed 's/[[:space:]]*$//; s/^[[:space:]]*//')
        [ -n "$line" ] && IMAGE_FLAGS+=("$line")
    done < "$NATIVE_DIR/image.flags"
}

# Builds one static musl image with the native-image front given (a GraalVM's or this
# project's): the image flags, plus musl's stack fix linked in (c/musl/stackfix.c, see there).
# Output and errors go to LOG; the caller shows its tail on failure.
# usage: native_image_build NATIVE_IMAGE CLASSPATH MAIN OUTPUT LOG [more options]
native_image_build() {
    local front=$1 cp=$2 main=$3 out=$4 log=$5
    shift 5
    local work
    work="$(dirname "$out")/.$(basename "$out").build"
    rm -rf "$work"
    mkdir -p "$work"
    "$MUSL_CC" -c -O2 -o "$work/stackfix.o" "$NATIVE_DIR/c/musl/stackfix.c" >"$log" 2>&1 || return 1
    read_image_flags
    (cd "$work" && nice -n 10 "$front" "${IMAGE_FLAGS[@]}" "-H:NativeLinkerOption=$work/stackfix.o" "$@" \
        -cp "$cp" -o "$out" "$main") >>"$log" 2>&1 || return 1
    rm -rf "$work"
}

# the last lines of a failed step's log, indented under its one-line message
show_log_tail() {
    tail -n "${2:-25}" "$1" | sed 's/^/    /' >&2
    say "full log: $1"
}
