#!/usr/bin/env bash
# Builds tests/target/native/contract: the Native contract checks (NativeContract, SocketContract)
# in a native image with the native executable's backend, main class NativeContractMain
# (tests/src/native/java), made by the same builder and flags as init/target/native/jinit
# (init/src/build/native/build-image.sh). NativeContractImageTest runs it.
#
#   build-contract-image.sh JDK25_HOME M2_REPO GRAALVM_VERSION JUNIT_CLASSPATH
#
# Run by Maven (tests/pom.xml, process-test-classes) from the tests module's directory. Where the
# native executable's classes or the builder are missing, one line says so and nothing is built
# (the test then skips, or fails under jinit.requireNative=true).
set -euo pipefail
jdk=$1 m2=$2 graalvm=$3 junit=$4
here=$(pwd) init=$(cd ../init && pwd)
builder=$init/src/build/native/build-image.sh
if [ ! -d "$init/target/svm-classes/jinit" ] || [ ! -f "$builder" ]; then
    echo "jinit: no native contract image: the native executable's classes (init/target/svm-classes) or its builder are missing"
    exit 0
fi
sdk=$m2/org/graalvm/sdk/nativeimage/$graalvm/nativeimage-$graalvm.jar:$m2/org/graalvm/sdk/word/$graalvm/word-$graalvm.jar
rm -rf target/native-classes
mkdir -p target/native-classes
"$jdk/bin/javac" --release 25 -d target/native-classes \
    -cp "target/test-classes:$init/target/svm-classes:$init/target/lib/jinit.jar:$junit:$sdk" \
    src/native/java/jinit/it/NativeContractMain.java
slf4j=$(ls "$init"/target/lib/slf4j-*.jar | tr '\n' ':')
exec bash "$builder" "$here/target/native-classes:$here/target/test-classes:$init/target/svm-classes:$init/target/lib/jinit.jar:$slf4j$junit" \
    jinit.it.NativeContractMain "$here/target/native/contract" \
    -R:-EnableSignalHandling -H:-InstallExitHandlers -R:-AutomaticReferenceHandling # as init/pom.xml gives jinit's
