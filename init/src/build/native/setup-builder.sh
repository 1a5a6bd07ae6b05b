#!/usr/bin/env bash
# The project's own native-image builder, for machines without GraalVM.
#
# Makes a GraalVM-like home (a JDK with bin/native-image, lib/svm and lib/static) that builds
# fully static musl executables, from what such machines can reach:
#   - Maven Central's GraalVM jars (org.graalvm.nativeimage:svm and what it pulls in);
#   - the JDK those jars are made for (JVMCI; Temurin 25.0.3 for svm 25.0.2);
#   - Debian's openjdk-17 and zlib source packages: a GraalVM ships the JDK's C code compiled,
#     Maven Central does not, and OpenJDK 17's is the newest Debian 12's mirror has (c/jdk/README);
#   - Debian's musl-tools (GraalVM links fully static executables only with musl).
# The home is built in a temporary directory of the cache, tested (a self-test image built with
# it must run and pass, selftest/SelfTest.java), then renamed into place: an interrupted or
# failed set-up leaves nothing a later build would use. Prints the home's path.
#
# usage: setup-builder.sh      (versions and cache from the environment, see common.sh)
# exit status: 0 ready, 3 not possible on this machine (one line says why), 1 failed
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
load_versions

JDK=$JINIT_JDK25_HOME
FINAL=$(builder_dir)

check_prerequisites() {
    check_builder_jdk "$JDK"
    local missing=()
    command -v "$MUSL_CC" >/dev/null || missing+=("$MUSL_CC (apt-get install musl-tools)")
    command -v gcc >/dev/null || missing+=("gcc")
    command -v apt-get >/dev/null || missing+=("apt-get (the JDK's C sources come from Debian's source packages)")
    command -v "$JINIT_MVN" >/dev/null || missing+=("mvn")
    [ -r "$JDK/lib/src.zip" ] || missing+=("$JDK/lib/src.zip (the JDK's Java sources)")
    [ -d /usr/include/linux ] || missing+=("/usr/include/linux (apt-get install linux-libc-dev)")
    [ ${#missing[@]} -eq 0 ] || not_possible "no native executable: the builder set-up needs ${missing[*]}"
}

# GraalVM's builder jars (and slf4j for the self-test) through Maven, with the caller's
# settings: offline when the build is, from the same local repository.
fetch_jars() {
    local m2=$WORK/m2
    mkdir -p "$m2"
    cat > "$m2/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.jinit</groupId><artifactId>native-builder</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.graalvm.nativeimage</groupId><artifactId>svm</artifactId><version>$JINIT_GRAALVM_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>$JINIT_SLF4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
    local mvn=("$JINIT_MVN" -B -q -f "$m2/pom.xml")
    case ${JINIT_MVN_OFFLINE:-} in true|offline=true) mvn+=(-o) ;; esac
    [ -n "${JINIT_M2_REPO:-}" ] && mvn+=("-Dmaven.repo.local=$JINIT_M2_REPO")
    "${mvn[@]}" "org.apache.maven.plugins:maven-dependency-plugin:$(pom_dependency_plugin_version):copy-dependencies" \
        -DoutputDirectory="$m2/jars" >"$m2/mvn.log" 2>&1 ||
        { show_log_tail "$m2/mvn.log" 10; not_possible "no native executable: Maven could not get org.graalvm.nativeimage:svm:$JINIT_GRAALVM_VERSION (offline, or Maven Central unreachable?)"; }
    mkdir -p "$WORK/selftest-lib"
    mv "$m2/jars"/slf4j-*.jar "$WORK/selftest-lib/"
}

# A Debian source package's original tarball, through a private apt configuration: a deb-src
# line for the mirror this machine already uses (its own sources stay untouched). Kept in
# $JINIT_NATIVE_CACHE/sources, shared by builders of every version.
fetch_source_package() {
    local package=$1 dir=$JINIT_NATIVE_CACHE/sources/$1
    if ls "$dir"/*.orig.tar.* >/dev/null 2>&1; then
        SOURCE_TARBALL=$(ls "$dir"/*.orig.tar.* | grep -v -- '-googletest' | head -1)
        return
    fi
    local apt=$WORK/apt codename mirror
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2); exit }' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$codename" ] && [ -n "$mirror" ] || not_possible "no native executable: no Debian mirror or release name found in /etc/apt and /etc/os-release for the JDK's C sources"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/download"
    echo "deb-src $mirror $codename main" > "$apt/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
                -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=$(id -un)")
    if ! { apt-get "${opts[@]}" update -qq && (cd "$apt/download" && apt-get "${opts[@]}" source --download-only -qq "$package"); } >"$apt/$package.log" 2>&1; then
        show_log_tail "$apt/$package.log" 10
        not_possible "no native executable: apt-get source $package failed (deb-src $mirror $codename main)"
    fi
    mkdir -p "$JINIT_NATIVE_CACHE/sources"
    rm -rf "$dir.tmp"
    mv "$apt/download" "$dir.tmp"
    mv -T "$dir.tmp" "$dir"
    SOURCE_TARBALL=$(ls "$dir"/*.orig.tar.* | grep -v -- '-googletest' | head -1)
}

# the GraalVM-like home: the JDK (hard links where the file system allows: nothing in it is
# ever written), the builder's jars and JVM options, the front
make_home() {
    cp -al "$JDK/." "$HOME_DIR/" 2>/dev/null || { rm -rf "$HOME_DIR"; mkdir -p "$HOME_DIR"; cp -a "$JDK/." "$HOME_DIR/"; }
    rm -f "$HOME_DIR/bin/native-image"
    install -m 755 "$NATIVE_DIR/native-image" "$HOME_DIR/bin/native-image"
    local builder=$HOME_DIR/lib/svm/builder
    mkdir -p "$builder/lib"
    cp "$WORK/m2/jars"/*.jar "$builder/"
    # GraalVM's driver opens the JDK's packages to the builder's modules; this front opens every
    # package of every JDK module the builder's JVM resolves (others would only draw warnings)
    local to=org.graalvm.nativeimage.base,org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure,jdk.graal.compiler,org.graalvm.truffle.compiler,org.graalvm.espresso.shared.svm,org.graalvm.nativeimage.libgraal,ALL-UNNAMED
    local jars module package
    jars=$(ls "$builder"/*.jar | grep -v '/compiler-[^/]*$' | tr '\n' ':')
    for module in $("$JDK/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
                        --upgrade-module-path "$(ls "$builder"/compiler-*.jar)" --module-path "$jars" \
                        --add-modules=ALL-DEFAULT,org.graalvm.nativeimage.builder --show-module-resolution -version 2>&1 |
                    grep -o 'jrt:/[A-Za-z0-9.]*' | cut -c6- | sort -u); do
        "$JDK/bin/java" --describe-module "$module" |
            awk '$1 == "exports" || $1 == "contains" { print $2 } $1 == "qualified" { print $3 }' | sort -u |
            while read -r package; do
                printf -- '--add-exports=%s/%s=%s\n--add-opens=%s/%s=%s\n' "$module" "$package" "$to" "$module" "$package" "$to"
            done
    done > "$builder/jvm.args"
    cat > "$builder/builder.env" <<EOF
GRAALVM_VERSION=$JINIT_GRAALVM_VERSION
BUILDER_JDK=$JINIT_BUILDER_JDK
EOF
}

# kernel headers for musl-gcc, whose specs leave out /usr/include (the JDK's C code needs <linux/...>)
musl_kernel_headers() {
    mkdir -p "$WORK/kernel"
    ln -sfn /usr/include/linux "$WORK/kernel/linux"
    ln -sfn /usr/include/asm-generic "$WORK/kernel/asm-generic"
    ln -sfn "/usr/include/$(gcc -dumpmachine)/asm" "$WORK/kernel/asm"
    KERNEL_HEADERS=(-idirafter "$WORK/kernel")
}

# svm's own C helpers (c/svm) and the CPU-feature header they and the builder share
build_svm_helpers() {
    local clib=$HOME_DIR/lib/svm/clibraries/linux-amd64 static=$HOME_DIR/lib/static/linux-amd64/musl obj=$WORK/obj/svm
    mkdir -p "$clib/include" "$static" "$obj"
    # svm reads the CPU features through a C struct with one byte per feature of its interface
    # <Arch>LibCHelper$CPUFeatures: the headers are made from the jar, so they always match it
    # (the builder reads all three, whatever the target)
    local arch prefix
    for arch in amd64:AMD64 aarch64:AArch64 riscv64:RISCV64; do
        prefix=${arch#*:} arch=${arch%:*}
        {
            echo "/* generated by setup-builder.sh from svm $JINIT_GRAALVM_VERSION's ${prefix}LibCHelper\$CPUFeatures */"
            echo "typedef struct {"
            "$JDK/bin/javap" -cp "$HOME_DIR/lib/svm/builder/svm-$JINIT_GRAALVM_VERSION.jar" \
                "com.oracle.svm.core.$arch.${prefix}LibCHelper\$CPUFeatures" |
                sed -n 's/.*boolean \(f[A-Za-z0-9_]*\)();/    char \1;/p'
            echo "} CPUFeatures;"
            echo "void determineCPUFeatures(CPUFeatures *features);"
            echo "int checkCPUFeatures(const unsigned char *buildtimeFeatures);"
            echo "int checkCPUFeaturesOrExit(const unsigned char *buildtimeFeatures, const char *errorMessage);"
        } > "$clib/include/${arch}cpufeatures.h"
    done
    cp "$NATIVE_DIR/c/svm/include/svm_locale.h" "$JDK/include/jni.h" "$JDK/include/linux/jni_md.h" "$clib/include/"
    printf '#include <limits.h>\n#define JNI_LIB_PREFIX "lib"\n#define JNI_LIB_SUFFIX ".so"\n#define JVM_MAXPATHLEN PATH_MAX\n' > "$clib/include/jvm_md.h"
    local f
    for f in cpufeatures libchelper locale signals; do
        "$MUSL_CC" -c -O2 -fPIC -Wall -Werror "${KERNEL_HEADERS[@]}" -I"$clib/include" -o "$obj/$f.o" "$NATIVE_DIR/c/svm/$f.c"
    done
    ar rcs "$clib/liblibchelper.a" "$obj"/{cpufeatures,libchelper,locale,signals}.o
    "$MUSL_CC" -c -O2 -fPIC -Wall -Werror -Wno-unused-parameter -I"$JDK/include" -I"$JDK/include/linux" -o "$obj/libjvm.o" "$NATIVE_DIR/c/svm/libjvm.c"
    ar rcs "$static/libjvm.a" "$obj/libjvm.o"
    # loaded by the builder's own JVM (glibc): the system's gcc
    gcc -shared -fPIC -O2 -Wall -Werror -Wno-unused-parameter -I"$JDK/include" -I"$JDK/include/linux" \
        -o "$HOME_DIR/lib/svm/builder/lib/libreporterchelper.so" "$NATIVE_DIR/c/svm/reporterchelper.c"
}

# zlib, for the -lz every image links: Debian's source, built static with musl
build_zlib() {
    fetch_source_package zlib
    mkdir -p "$WORK/zlib"
    tar -C "$WORK/zlib" --strip-components=1 -xf "$SOURCE_TARBALL"
    (cd "$WORK/zlib" && CC=$MUSL_CC CFLAGS="-O2 -fPIC" ./configure --static && make -j2 libz.a) >"$WORK/zlib.log" 2>&1 ||
        { show_log_tail "$WORK/zlib.log"; die "building zlib with musl failed"; }
    cp "$WORK/zlib/libz.a" "$HOME_DIR/lib/static/linux-amd64/musl/"
    SOURCES="$SOURCES $(basename "$SOURCE_TARBALL")"
}

# The JDK natives jinit's image reaches (c/jdk/README): JDK 17's C code from Debian's
# openjdk-17 source, checked against JNI headers of Temurin 25's Java classes.
build_jdk_natives() {
    fetch_source_package openjdk-17
    local src=$WORK/jdk17 top
    mkdir -p "$src"
    top=$( (tar -tf "$SOURCE_TARBALL" || true) | head -1 | cut -d/ -f1)
    tar -C "$src" --strip-components=2 -xf "$SOURCE_TARBALL" \
        --wildcards "$top/src/java.base/*/native/*" "$top/src/jdk.net/*/native/*" "$top/src/hotspot/share/include/*" "$top/src/hotspot/os/posix/include/*"
    tar -C "$HOME_DIR/legal" -xf "$SOURCE_TARBALL" --transform "s,^$top,openjdk-17-sources," "$top/LICENSE" "$top/ASSEMBLY_EXCEPTION"
    SOURCES="$SOURCES $(basename "$SOURCE_TARBALL")"

    local jb=$src/java.base static=$HOME_DIR/lib/static/linux-amd64/musl hdr=$WORK/jni-headers j25=$WORK/j25src
    local cflags=(-O2 -fPIC -w -Werror=implicit-function-declaration -Werror=incompatible-pointer-types -Werror=int-conversion
                  -DSTATIC_BUILD=1 -D_GNU_SOURCE -D_LARGEFILE64_SOURCE -DLINUX -D_REENTRANT "${KERNEL_HEADERS[@]}"
                  -I"$hdr" -I"$JDK/include" -I"$JDK/include/linux" -I"$src"
                  -I"$jb/share/native/include" -I"$jb/unix/native/include" -I"$src/hotspot/share/include" -I"$src/hotspot/os/posix/include"
                  -I"$jb/share/native/libjava" -I"$jb/unix/native/libjava"
                  -I"$jb/share/native/libnet" -I"$jb/unix/native/libnet" -I"$jb/linux/native/libnet"
                  -I"$jb/share/native/libnio" -I"$jb/unix/native/libnio" -I"$jb/share/native/libnio/ch" -I"$jb/unix/native/libnio/ch"
                  -I"$jb/linux/native/libnio/ch" -I"$jb/unix/native/libnio/fs" -I"$jb/share/native/libzip" -I"$WORK/zlib")

    # JNI headers (javac -h) of every class whose header the C files include, directly or not:
    # the preprocessor lists the headers it cannot find yet (-MG), all of them generated ones
    mkdir -p "$j25" "$hdr"
    (cd "$j25" && "$JDK/bin/jar" xf "$JDK/lib/src.zip" java.base/ jdk.net/)
    local names f path java_base=() jdk_net=()
    names=$(for f in "$NATIVE_DIR"/c/jdk/lib*/*.c; do "$MUSL_CC" -MM -MG "${cflags[@]}" "$f"; done |
        tr ' ' '\n' | sed -n 's/^\(\(java\|javax\|sun\|jdk\)_[A-Za-z0-9_]*\)\.h$/\1/p' | sort -u)
    for f in $names; do
        path=${f//_//}.java
        if [ -f "$j25/java.base/$path" ]; then java_base+=("$j25/java.base/$path")
        elif [ -f "$j25/jdk.net/$path" ]; then jdk_net+=("$j25/jdk.net/$path")
        else die "no Java source in $JDK/lib/src.zip for the JNI header $f.h"; fi
    done
    "$JDK/bin/javac" --patch-module "java.base=$j25/java.base" -implicit:none -nowarn -h "$hdr" -d "$WORK/jni-classes" "${java_base[@]}"
    [ ${#jdk_net[@]} -eq 0 ] ||
        "$JDK/bin/javac" --patch-module "jdk.net=$j25/jdk.net" -implicit:none -nowarn -h "$hdr" -d "$WORK/jni-classes" "${jdk_net[@]}"

    local lib
    for lib in "$NATIVE_DIR"/c/jdk/lib*/; do
        lib=$(basename "$lib")
        mkdir -p "$WORK/obj/$lib"
        for f in "$NATIVE_DIR/c/jdk/$lib"/*.c; do
            nice -n 10 "$MUSL_CC" -c "${cflags[@]}" -DLIBRARY_NAME="${lib#lib}" -o "$WORK/obj/$lib/$(basename "$f" .c).o" "$f"
        done
        ar rcs "$static/$lib.a" "$WORK/obj/$lib"/*.o
    done
    # the natives of these classes left out (an image that reaches one fails to link): listed in
    # the builder's jinit-builder.txt
    NATIVES_LEFT_OUT=$(comm -23 <(grep -ho 'Java_[A-Za-z0-9_]*' "$hdr"/*.h | sort -u) \
                                <(nm "$static"/*.a 2>/dev/null | awk '$2 == "T" { print $3 }' | sort -u) | tr '\n' ' ')
}

# A static image of selftest/SelfTest.java built with the new home, run once (see there).
self_test() {
    local dir=$WORK/selftest cp
    mkdir -p "$dir/classes" "$dir/run"
    cp=$(printf '%s:' "$WORK/selftest-lib"/*.jar)
    "$HOME_DIR/bin/javac" -d "$dir/classes" -cp "$cp$HOME_DIR/lib/svm/builder/nativeimage-$JINIT_GRAALVM_VERSION.jar:$HOME_DIR/lib/svm/builder/word-$JINIT_GRAALVM_VERSION.jar" \
        "$NATIVE_DIR/selftest/SelfTest.java"
    native_image_build "$HOME_DIR/bin/native-image" "$dir/classes:${cp%:}" SelfTest "$dir/selftest" "$dir/build.log" ||
        { show_log_tail "$dir/build.log" 40; die "the builder's self-test image did not build"; }
    # a clean environment: the checks expect these variables, the C locale (en_US), this zone
    if ! (cd "$dir/run" && env -i PATH=/usr/bin:/bin LC_ALL=C TZ=Europe/Paris JINIT_SELFTEST="ok 1" "$dir/selftest" "$dir/run" -Dx=y -XX:+Foo) >"$dir/out.log" 2>"$dir/err.log" ||
            ! grep -q '^selftest: [0-9]* checks passed$' "$dir/out.log" ||
            ! grep -q 'WARN selftest - slf4j works' "$dir/err.log" || ! grep -q '^stderr works$' "$dir/err.log"; then
        cat "$dir/out.log" "$dir/err.log" | sed 's/^/    /' >&2
        die "the builder's self-test failed (see above): a JDK native does not do what JDK 25 expects"
    fi
    SELFTEST=$(tail -1 "$dir/out.log")
}

main() {
    if [ -x "$FINAL/bin/native-image" ]; then echo "$FINAL"; return; fi
    check_prerequisites
    mkdir -p "$JINIT_NATIVE_CACHE"
    # one set-up at a time per cache; a builder a concurrent set-up finished is taken as it is
    exec 9>"$JINIT_NATIVE_CACHE/.setup.lock"
    flock 9
    if [ -x "$FINAL/bin/native-image" ]; then echo "$FINAL"; return; fi
    rm -rf "$JINIT_NATIVE_CACHE"/.tmp-*          # left by an interrupted set-up (we hold the lock)
    WORK=$(mktemp -d "$JINIT_NATIVE_CACHE/.tmp-builder-XXXXXX")
    # kept after a failure for its logs (the next set-up removes it)
    trap 'status=$?; [ $status -eq 0 ] && rm -rf "$WORK" || say "set-up files kept in $WORK"; exit $status' EXIT
    HOME_DIR=$WORK/home
    SOURCES=
    say "setting up the native-image builder (once per version): $FINAL"
    fetch_jars
    make_home
    musl_kernel_headers
    build_svm_helpers
    build_zlib
    build_jdk_natives
    self_test
    {
        echo "GraalVM builder set up by jinit's init/src/build/native/setup-builder.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "svm: org.graalvm.nativeimage:svm:$JINIT_GRAALVM_VERSION; JDK: $JDK ($JINIT_BUILDER_JDK)"
        echo "C sources:$SOURCES; C compiler: $("$MUSL_CC" -dumpversion) (musl)"
        echo "$SELFTEST"
        echo "JNI natives of the JDK classes built here that are left out: $NATIVES_LEFT_OUT"
    } > "$HOME_DIR/jinit-builder.txt"
    mv -T "$HOME_DIR" "$FINAL"
    echo "$FINAL"
}

[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"   # (sourced: functions only, for debugging)
