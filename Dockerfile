# syntax=docker/dockerfile:1
# The operator's image: the runnable jar on a distroless Java 17 runtime, as user 65532.
# Build and push: docs/install.md ("Building the image"). Not built by `make test`.
#
# Pin by digest for releases: replace each tag below with tag@sha256:<digest>, e.g. from
#   docker buildx imagetools inspect maven:3.9.11-eclipse-temurin-17 --format '{{json .Manifest.Digest}}'

# --- Build: the same Maven build as `make package`, without tests ---
# FROM maven:3.9.11-eclipse-temurin-17@sha256:<digest>
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY operator/pom.xml operator/
COPY operator/src/main operator/src/main
# The cache mount keeps ~/.m2 between builds; nothing of it lands in the image.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl operator -am -Dmaven.test.skip=true -Dspotless.apply.skip=true package \
 && cp operator/target/secure-workload-operator-*-runnable.jar /operator.jar

# --- Runtime: no shell, no package manager; a JRE and the jar ---
# FROM gcr.io/distroless/java17-debian12:nonroot@sha256:<digest>
FROM gcr.io/distroless/java17-debian12:nonroot
# Root-owned and read-only to the process; the chart mounts the root file system read-only and an
# emptyDir at /tmp, the only place the JVM writes.
COPY --from=build /operator.jar /app/operator.jar
# The chart's runAsUser/runAsGroup (65532, "nonroot" in distroless); numeric, so runAsNonRoot can
# verify it without reading /etc/passwd.
USER 65532:65532
EXPOSE 8080
# Heap from the container's memory limit, not the node's: half of it, as the rest of the process
# (metaspace, code cache, threads, GC) took about 200 MiB beside a 256 MiB heap in `make bench`.
# A JVM out of memory exits and is restarted rather than limping on. More flags: JDK_JAVA_OPTIONS
# (the chart's extraEnv).
ENTRYPOINT ["java", \
  "-XX:+ExitOnOutOfMemoryError", \
  "-XX:MaxRAMPercentage=50", \
  "-XX:InitialRAMPercentage=25", \
  "-XX:-UsePerfData", \
  "-Djava.io.tmpdir=/tmp", \
  "-jar", "/app/operator.jar"]
