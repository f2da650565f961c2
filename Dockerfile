# syntax=docker/dockerfile:1
# Build:  docker build -t llm-worker .       (podman/buildah: podman build --format docker, or HEALTHCHECK is dropped)
# Run:    docker run --rm -p 127.0.0.1:8080:8080 -e LLMW_MONITOR_TOKEN=$(openssl rand -hex 16) \
#           -e LLMW_SQS_QUEUE_URL=... -e OPENAI_API_KEY llm-worker
# Try:    docker run --rm -p 127.0.0.1:8080:8080 llm-worker demo
# Cluster on one machine: cluster/docker-compose.yml (see cluster/README.md).
# DockerFilesTest keeps the env names, commands, ports and JVM flags here in step with the code.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies and plugins in their own layer, rebuilt only when pom.xml changes: building the still empty project
# fetches exactly what the real build needs (dependency:go-offline also fetches optional dependencies, some of which
# Maven Central lacks, and fails with Maven 3.9); the real build below then runs offline
COPY pom.xml .
RUN mvn -B -q package -Dmaven.test.skip=true && rm -rf target
# conf/config.json and cluster/cluster.xml are packed into the jar (see the pom's resources)
COPY conf conf
COPY cluster cluster
COPY src src
RUN mvn -B -q -o package -Dmaven.test.skip=true

FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK; a fixed numeric user so runAsNonRoot-style checks can verify it
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 llmw \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin llmw \
 && mkdir -p /app/data && chown 10001:10001 /app/data
WORKDIR /app
COPY --from=build /src/target/llm-worker.jar /app/llm-worker.jar
# conf/config.json is read from the working directory; mount another file over it, or use --config
COPY conf/config.json /app/conf/config.json
COPY cluster/cluster.xml cluster/kubernetes.xml /app/cluster/
USER 10001:10001

# Environment variables win over a config file. In a container:
# - the monitor and the cluster listen on all interfaces: the monitor then needs LLMW_MONITOR_TOKEN (its API shows
#   task content; it refuses to start open without LLMW_MONITOR_ALLOW_OPEN=true); publish it on 127.0.0.1 only;
# - the event bus gets a fixed port, so it can be exposed and firewalled like the Hazelcast port;
# - results too large for one SQS message, and the Batch API's embedded store, are kept in /app/data (mount a volume
#   there to keep them).
# The Hazelcast flags are also in the jar's manifest (Add-Opens, Add-Exports); kept identical to the pom's.
ENV LLMW_MONITOR_HOST=0.0.0.0 \
    LLMW_CLUSTER_HOST=0.0.0.0 \
    LLMW_CLUSTER_EVENT_BUS_PORT=5801 \
    LLMW_RESULTS_OVERSIZE_FILE=/app/data/oversize-results.jsonl \
    LLMW_STORE_EMBEDDED_DIR=/app/data/store \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"

# monitor (dashboard, /health), Hazelcast, event bus
EXPOSE 8080 5701 5801

# Liveness of the monitor. Nodes without the monitor role (--roles worker) or the simulator need their own check:
# docker run --no-healthcheck, or a healthcheck: in compose (cluster/docker-compose.yml has both).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${LLMW_MONITOR_PORT:-8080}/health" || exit 1

# SIGTERM starts the graceful stop: an idle node exits within about a second; a busy one lets its running tasks
# finish within shutdown.graceSeconds (30 s): give docker stop / stop_grace_period / terminationGracePeriodSeconds /
# ECS stopTimeout more than that (60 s).
STOPSIGNAL SIGTERM
# The cluster needs the address other containers reach this one at; 0.0.0.0 cannot be advertised. Unless
# LLMW_CLUSTER_PUBLIC_HOST is given, it is this container's first IP address. exec: java is PID 1 and gets the
# signals itself.
ENTRYPOINT ["/bin/sh", "-c", "export LLMW_CLUSTER_PUBLIC_HOST=\"${LLMW_CLUSTER_PUBLIC_HOST:-$(hostname -i | cut -d ' ' -f 1)}\" && exec java $JAVA_OPTS -jar /app/llm-worker.jar \"$@\"", "llm-worker"]
CMD ["run"]
