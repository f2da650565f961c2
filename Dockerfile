# syntax=docker/dockerfile:1
# Build: docker build -t llm-worker .
# Run:   docker run --rm -p 8080:8080 -e LLMW_SQS_QUEUE_URL=... llm-worker run

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin llmw
WORKDIR /app
COPY --from=build /src/target/llm-worker.jar /app/llm-worker.jar
COPY conf /app/conf
COPY cluster /app/cluster
USER llmw
# Inside a container 127.0.0.1 is unreachable from outside: listen on all interfaces and publish the port
# explicitly (-p 127.0.0.1:8080:8080). Control actions still need LLMW_MONITOR_TOKEN.
ENV LLMW_MONITOR_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
# exec: java is PID 1 and gets SIGTERM directly, so shutdown is graceful
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/llm-worker.jar \"$@\"", "llm-worker"]
CMD ["run"]
