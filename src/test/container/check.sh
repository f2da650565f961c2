#!/usr/bin/env bash
# The container image and the compose cluster, checked with a real container engine (podman) the way a user runs
# them. Called by .ci/run after mvn -B verify (it uses target/llm-worker.jar for submit and results on the host).
#
#   bash src/test/container/check.sh          (as root: podman, the base-image stand-ins and the compose SQS)
#
# 1. builds the stand-ins for the Dockerfile's base images (../shared/container/build-base-images.sh), then the
#    image from this checkout (podman build --format docker, which keeps HEALTHCHECK);
# 2. demo in a container: /health answers, the process runs as llmw (10001:10001), the HEALTHCHECK passes;
# 3. podman stop with its default 10 s on the idle demo: exit 0, no SIGKILL;
# 4. podman stop -t 60 on a busy demo: exit 0, every running task finished, no task lost;
# 5. cluster/docker-compose.yml with podman-compose: main and two worker nodes in /api/stats, tasks submitted from
#    the host all come back as results, every idle node stops with podman's default timeout and exit 0.
# Any failure fails the script (nothing is skipped); everything it started is removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BASES=${BASES:-$ROOT/../shared/container/build-base-images.sh}
JAR=$ROOT/target/llm-worker.jar
IMAGE=llm-worker:test
PREFIX=llmw-check
PROJECT=llmwcheck
WORK=$(mktemp -d)
T0=$(date +%s)

step() { echo "=== [$(( $(date +%s) - T0 )) s] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
elapsed_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

cleanup() {
  set +e
  for c in $(podman ps -a --format '{{.Names}}' | grep -E "^($PREFIX-|${PROJECT}_)"); do
    podman rm -f -t 0 "$c" >/dev/null 2>&1
  done
  (cd "$ROOT/cluster" && podman-compose -p "$PROJECT" down -t 0 >/dev/null 2>&1)
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run as root (podman and the base images need it)"
[ -f "$BASES" ] || fail "no $BASES: the check needs the base-image stand-ins (shared/container)"
[ -f "$JAR" ] || fail "no $JAR: run mvn -B verify (or package) first"

# how a container's process ended: exit code and whether the engine had to kill it
exit_code() { podman inspect --format '{{.State.ExitCode}}' "$1"; }

# the monitor's token: the demo containers and the compose cluster get it, and /api/ reads need it
export LLMW_MONITOR_TOKEN
LLMW_MONITOR_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
api_get() { curl -fsS --max-time 3 -H "Authorization: Bearer $LLMW_MONITOR_TOKEN" "$1"; }

# GET a JSON path from a URL with python3 (no jq on a fresh Debian); empty when it does not answer yet
json_get() { # url python-expression-on-d
  api_get "$1" 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" 2>/dev/null || true
}

wait_for() { # seconds description command...
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not within $limit s"
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------------------------
step "base images (stand-ins for maven:3.9-eclipse-temurin-17, eclipse-temurin:17-jre, elasticmq-native)"
bash "$BASES" > "$WORK/bases.log" 2>&1 || { tail -30 "$WORK/bases.log"; fail "build-base-images.sh"; }
grep -E '^podman|took' "$WORK/bases.log" | tr '\n' ' '; echo

step "podman build --format docker -t $IMAGE ."
BUILD_START=$(date +%s%N)
podman build --format docker -t "$IMAGE" "$ROOT" > "$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; fail "image build"; }
echo "    built in $(elapsed_since "$BUILD_START") s"
[ -n "$(podman image inspect --format '{{.Config.Healthcheck}}' "$IMAGE" | grep -v '<nil>')" ] \
  || fail "the image has no HEALTHCHECK"

# ---------------------------------------------------------------------------------------------------------------
# a demo container with the dashboard on a free port of 127.0.0.1; prints its base URL
start_demo() { # name tasks
  podman run -d --name "$1" -p 127.0.0.1::8080 -e LLMW_MONITOR_TOKEN "$IMAGE" demo --tasks "$2" >/dev/null
  local port
  port=$(podman port "$1" 8080/tcp | head -1 | sed 's/.*://')
  echo "http://127.0.0.1:$port/"
}
demo_done() { # url tasks: every task settled and nothing in flight
  [ "$(json_get "$1api/stats" "d['totals']['succeeded'] + d['totals']['dead_lettered'] >= $2 and d['totals']['in_flight'] == 0")" = True ]
}
health_ok() { curl -fsS --max-time 3 -o /dev/null "$1health" 2>/dev/null; }

step "demo in a container: /health, user, HEALTHCHECK"
IDLE=$PREFIX-idle
URL=$(start_demo "$IDLE" 200)
wait_for 90 "/health of the demo container" health_ok "$URL"
[ "$(podman exec "$IDLE" id -u)" = 10001 ] || fail "the container runs as uid $(podman exec "$IDLE" id -u), not 10001"
[ "$(podman exec "$IDLE" id -g)" = 10001 ] || fail "the container runs as gid $(podman exec "$IDLE" id -g), not 10001"
[ "$(podman exec "$IDLE" id -gn)" = llmw ] || fail "group 10001 is not llmw"
[ "$(podman exec "$IDLE" stat -c %u /proc/1)" = 10001 ] || fail "java (PID 1) does not run as 10001"
podman healthcheck run "$IDLE" >/dev/null || fail "the image's HEALTHCHECK does not pass"
echo "    healthy; uid/gid 10001 (llmw)"

step "podman stop (default 10 s) on the idle demo"
wait_for 120 "the demo's 200 tasks" demo_done "$URL" 200
STOP_START=$(date +%s%N)
podman stop "$IDLE" >/dev/null
IDLE_STOP=$(elapsed_since "$STOP_START")
podman logs "$IDLE" > "$WORK/idle.log" 2>&1
[ "$(exit_code "$IDLE")" = 0 ] || { tail -20 "$WORK/idle.log"; fail "idle demo exited $(exit_code "$IDLE") (137 = SIGKILL)"; }
grep -q "llm-worker: stopped" "$WORK/idle.log" || fail "idle demo did not stop gracefully"
awk -v t="$IDLE_STOP" 'BEGIN { exit !(t < 5) }' || fail "podman stop took $IDLE_STOP s on an idle node"
echo "    exit 0 after $IDLE_STOP s"

step "podman stop -t 60 on a busy demo"
BUSY=$PREFIX-busy
URL=$(start_demo "$BUSY" 3000)
wait_for 90 "/health of the busy demo" health_ok "$URL"
wait_for 60 "the busy demo's first 300 results" \
  bash -c "[ \"\$(curl -fsS --max-time 3 -H 'Authorization: Bearer $LLMW_MONITOR_TOKEN' '${URL}api/stats' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"totals\"][\"succeeded\"] >= 300)')\" = True ]"
podman logs "$BUSY" 2>&1 | grep -q "enqueued 3000 tasks" || fail "the demo feeder did not enqueue its tasks"
STOP_START=$(date +%s%N)
podman stop -t 60 "$BUSY" >/dev/null
BUSY_STOP=$(elapsed_since "$STOP_START")
podman logs "$BUSY" > "$WORK/busy.log" 2>&1
[ "$(exit_code "$BUSY")" = 0 ] || { tail -20 "$WORK/busy.log"; fail "busy demo exited $(exit_code "$BUSY")"; }
SUMMARY=$(grep -o "shutdown: [0-9]* tasks were in flight; .* cut short)" "$WORK/busy.log") \
  || fail "no shutdown summary in the busy demo's log"
HELD=$(echo "$SUMMARY" | sed -E 's/shutdown: ([0-9]+) tasks.*/\1/')
CUT=$(echo "$SUMMARY" | sed -E 's/.* ([0-9]+) cut short\)/\1/')
[ "$HELD" -gt 0 ] || fail "the demo was not busy at the stop: $SUMMARY"
[ "$CUT" = 0 ] || fail "running tasks were cut short: $SUMMARY"
ACCOUNT=$(grep "^demo: .* tasks fed" "$WORK/busy.log") || fail "no final accounting in the busy demo's log"
echo "$ACCOUNT" | grep -q "none lost" || fail "tasks lost: $ACCOUNT"
echo "    exit 0 after $BUSY_STOP s; $SUMMARY; $ACCOUNT"

# ---------------------------------------------------------------------------------------------------------------
step "cluster/docker-compose.yml with podman-compose: main + 2 workers"
podman tag "$IMAGE" llm-worker:local
(cd "$ROOT/cluster" && podman-compose -p "$PROJECT" up -d > "$WORK/compose-up.log" 2>&1) \
  || { tail -30 "$WORK/compose-up.log"; fail "podman-compose up"; }
MAIN_URL=http://127.0.0.1:8080/
MAIN=${PROJECT}_main_1
wait_for 120 "/health of main" health_ok "$MAIN_URL"
[ "$(podman exec "$MAIN" printenv LLMW_MONITOR_TOKEN)" = "$LLMW_MONITOR_TOKEN" ] \
  || fail "main did not get LLMW_MONITOR_TOKEN from the shell"
workers_joined() {
  [ "$(json_get "${MAIN_URL}api/stats" "sum(1 for n in d['nodes'] if 'worker' in n['roles'] and not n.get('gone'))")" = 2 ]
}
wait_for 120 "two worker nodes in main's /api/stats" workers_joined

TASKS=400
for i in $(seq 1 $TASKS); do
  printf '{"custom_id":"ci-%d","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello %d"}],"max_tokens":16}}\n' "$i" "$i"
done > "$WORK/tasks.jsonl"
export LLMW_SQS_ENDPOINT=http://127.0.0.1:9324 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
(cd "$WORK" && java -jar "$JAR" submit tasks.jsonl > submit.log 2>&1) || { cat "$WORK/submit.log"; fail "submit"; }
all_done() { [ "$(json_get "${MAIN_URL}api/stats" "d['totals']['succeeded'] >= $TASKS")" = True ]; }
wait_for 180 "$TASKS tasks done by the cluster" all_done
BUSY_WORKERS=$(json_get "${MAIN_URL}api/stats" "sum(1 for n in d['nodes'] if 'worker' in n['roles'] and n['llm_calls'] > 0)")
[ "$BUSY_WORKERS" = 2 ] || fail "not both worker nodes ran tasks: $(api_get "${MAIN_URL}api/stats")"
(cd "$WORK" && java -jar "$JAR" results --out results.jsonl > results.log 2>&1) || { cat "$WORK/results.log"; fail "results"; }
IDS=$(python3 -c "import json,sys; print(len({json.loads(l)['custom_id'] for l in open(sys.argv[1]) if l.strip()}))" \
  "$WORK/results.jsonl")
[ "$IDS" = "$TASKS" ] || fail "$IDS of $TASKS tasks have a result line"
echo "    both workers ran tasks; $IDS of $TASKS results"

step "podman stop (default 10 s) on each idle node: exit 0, no SIGKILL"
STOPS=""
for c in $(podman ps --format '{{.Names}}' | grep -E "^${PROJECT}_(worker|main|simulator)_" | sort -r); do
  STOP_START=$(date +%s%N)
  podman stop "$c" >/dev/null
  TOOK=$(elapsed_since "$STOP_START")
  STOPS="$STOPS $c ${TOOK}s"
  [ "$(exit_code "$c")" = 0 ] || { podman logs "$c" 2>&1 | tail -20; fail "$c exited $(exit_code "$c")"; }
  awk -v t="$TOOK" 'BEGIN { exit !(t < 5) }' || fail "$c took $TOOK s to stop while idle"
done
echo "   $STOPS"
(cd "$ROOT/cluster" && podman-compose -p "$PROJECT" down -t 0 > /dev/null 2>&1) || true

step "container check passed in $(( $(date +%s) - T0 )) s"
