# jinit as a container image, and the way to add it to any glibc-based image.
#
#   docker build -t jinit .
#   docker run --rm jinit /bin/sh -c 'echo I am the child of PID 1; exit 3'; echo $?   # 3
#
# The image holds /opt/jinit: a jlink runtime of Temurin 25 (java.base) with an AOT cache,
# jinit's jars (FFM backend: no jnr), the launcher bin/jinit, and in legal/ the notices of the
# JDK and of everything jinit ships (jinit -l prints jinit's license). It needs nothing from
# the image but glibc (and /bin/sh), so in your own Dockerfile:
#
#   FROM jinit AS jinit
#   FROM debian:bookworm-slim                     # any glibc-based image
#   COPY --from=jinit /opt/jinit /opt/jinit
#   ENTRYPOINT ["/opt/jinit/bin/jinit", "--"]
#   CMD ["your-program", "--its", "args"]
#
# Options go before the "--": ENTRYPOINT ["/opt/jinit/bin/jinit", "-t", "20s", "-e", "143", "--"],
# or as environment variables (JINIT_GRACE=20s, JINIT_VERBOSITY=1, TINI_SUBREAPER, ...).
#
# Base images are build arguments. Where no registry can be reached (CI here), local stand-ins
# made by tests/docker/build-base-images.sh are passed instead:
#   docker build -t jinit --build-arg BUILD_IMAGE=local/maven:temurin-25 \
#                         --build-arg BASE_IMAGE=local/base:bookworm .
# BUILD_IMAGE needs Maven and a JDK 25 (JAVA_HOME) with jlink; the build runs `mvn package`,
# which downloads from Maven Central unless the image's ~/.m2 already holds what it needs
# (the local stand-in does: it works offline).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# the reactor reads every module's pom; only init/ is built
COPY pom.xml ./
COPY tests/pom.xml tests/
COPY init/pom.xml init/
COPY init/src init/src
# jinit's license: into jinit.jar (jinit -l) and /opt/jinit/legal/jinit
COPY LICENSE ./
# keep these flags in step with seed_m2 in tests/docker/build-base-images.sh
RUN mvn -B -q -pl init -am package -DskipTests -Djinit.skipTraining=true \
        -Djdk25.home="$JAVA_HOME" -Djdk17.home="$JAVA_HOME" \
 && sh init/src/build/make-runtime.sh --jdk "$JAVA_HOME" --output /opt/jinit

FROM ${BASE_IMAGE}
COPY --from=build /opt/jinit /opt/jinit
ENTRYPOINT ["/opt/jinit/bin/jinit", "--"]
CMD ["/bin/sh"]
