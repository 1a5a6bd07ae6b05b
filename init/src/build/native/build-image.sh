#!/usr/bin/env bash
# Builds a fully static native executable of a Java main class: jinit's (mvn package runs this
# for init/target/native/jinit) or any other, e.g. a test's.
#
#   build-image.sh [--require] CLASSPATH MAIN_CLASS OUTPUT [more native-image options]
#
# With the image flags of image.flags, by the first of:
#   1. $GRAALVM_HOME/bin/native-image        (a GraalVM or Mandrel for JDK 25)
#   2. native-image on the PATH              (likewise)
#   3. the project's own builder, set up once in $JINIT_NATIVE_CACHE (setup-builder.sh) from
#      Maven Central's GraalVM jars and the JDK at $JINIT_JDK25_HOME, which must be the JDK
#      those jars are made for (graalvm.builder.jdk in the pom): else one line says which.
# Where none is possible (no GraalVM, and the builder cannot be set up: no musl-tools, no JDK
# 25, no Debian source mirror...), it says so in one line and exits 0: the JVM form is built
# regardless. With --require (or JINIT_REQUIRE_NATIVE=true, as CI) that is a failure.
# Quiet unless something fails (then the tail of the log); one line with the result.
# JINIT_NATIVE_LOCK=FILE: hold an flock on FILE while building (machines shared by builds).
set -euo pipefail
. "$(dirname "$0")/common.sh"
load_versions

export JINIT_REQUIRE_NATIVE=${JINIT_REQUIRE_NATIVE:-false}
if [ "${1:-}" = --require ]; then JINIT_REQUIRE_NATIVE=true; shift; fi
[ $# -ge 3 ] || { echo "usage: build-image.sh [--require] CLASSPATH MAIN_CLASS OUTPUT [native-image options]" >&2; exit 2; }
CLASSPATH_ARG=$1 MAIN=$2 OUTPUT=$(realpath -m "$3")
shift 3

# the main class must be on the class path (until src/main/svm has one, jinit's has none)
has_main_class() {
    local entry entries file=${MAIN//.//}.class
    IFS=: read -ra entries <<< "$CLASSPATH_ARG"
    for entry in "${entries[@]}"; do
        if [ -d "$entry" ]; then [ -f "$entry/$file" ] && return 0
        elif [ -f "$entry" ]; then { unzip -Z1 "$entry" 2>/dev/null || jar tf "$entry"; } | grep -qxF "$file" && return 0
        fi
    done
    return 1
}

# A GraalVM or Mandrel: the standard way. Its version must be one for JDK 25 (the native
# sources are compiled against GraalVM 25's API).
graalvm_front() {
    local front
    if [ -n "${GRAALVM_HOME:-}" ]; then
        front=$GRAALVM_HOME/bin/native-image
        [ -x "$front" ] || die "GRAALVM_HOME=$GRAALVM_HOME has no bin/native-image"
    else
        front=$(command -v native-image) || return 1
    fi
    local version
    version=$("$front" --version 2>&1 | head -1) || die "$front --version failed: $version"
    case $version in
        "native-image 25"*) ;;
        *) die "$front is not GraalVM for JDK 25 (it says: $version): jinit's native sources need GraalVM 25's API; unset GRAALVM_HOME / change PATH to use the project's builder" ;;
    esac
    FRONT=$front WAY="$version"
}

# The project's builder: the JDK is checked before anything is downloaded or compiled.
project_front() {
    check_builder_jdk "$JINIT_JDK25_HOME"
    local dir
    dir=$("$NATIVE_DIR/setup-builder.sh")
    FRONT=$dir/bin/native-image WAY="the project's builder (svm $JINIT_GRAALVM_VERSION on JDK $JINIT_BUILDER_JDK)"
}

main() {
    has_main_class || not_possible "no native executable: $MAIN is not on its class path (no native sources yet)"
    command -v "$MUSL_CC" >/dev/null ||
        not_possible "no native executable: fully static images need musl's $MUSL_CC (apt-get install musl-tools)"
    if [ -n "${JINIT_NATIVE_LOCK:-}" ]; then
        exec 8>"$JINIT_NATIVE_LOCK"
        flock 8
    fi
    graalvm_front || project_front
    local log=$OUTPUT.build.log start=$SECONDS
    mkdir -p "$(dirname "$OUTPUT")"
    rm -f "$OUTPUT"
    if ! native_image_build "$FRONT" "$CLASSPATH_ARG" "$MAIN" "$OUTPUT" "$log" "$@"; then
        show_log_tail "$log" 30
        die "native-image failed for $MAIN ($WAY)"
    fi
    say "native executable $OUTPUT: $(( $(stat -c %s "$OUTPUT") / 1024 )) KiB, built in $(( SECONDS - start )) s by $WAY"
}

# exit status 3 (not possible here, already said in one line) is a success: the JVM form is built
status=0
(main "$@") || status=$?
if [ "$status" -eq "$NOT_POSSIBLE" ]; then rm -f "$OUTPUT"; exit 0; fi
exit "$status"
