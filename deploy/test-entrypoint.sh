#!/usr/bin/env bash
# The production images' test, run as a script because containers cannot run on the machines this project is built
# on. It stages the images' lib/ exactly as deploy/Dockerfile does (deploy/stage-lib.sh, symlinked), checks that no
# jar of the embedded broker or JMH is in it, then runs the images' entry point (deploy/entrypoint.sh, laid out as in
# the image: bin/emostream beside lib/):
#   - `run --help` and `ingest --help` exit 0 and print their usage; `demo` says in one line that the image has no
#     embedded broker;
#   - the configuration from the environment: no arguments runs `run`; EMOSTREAM_CONFIG_FILE becomes run's --config,
#     EMOSTREAM_<KEY> a setting (a bad value is refused naming the key), EMOSTREAM_BOOTSTRAP_SERVERS and
#     EMOSTREAM_METRICS_PORT become ingest's flags, and arguments win over the environment;
#   - deploy/healthcheck.sh: healthy on a 200 from /health/live, unhealthy on a 503 or when nothing listens;
#   - both Dockerfiles run as a non-root user with that HEALTHCHECK.
# Not tested here: the Docker builds themselves, the base images, CUDA inside a container.
#
# Usage: deploy/test-entrypoint.sh [MAVEN_FLAG...]   e.g. -o where ~/.m2 already holds everything
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fail() {
  echo "test-entrypoint: FAIL: $*" >&2
  exit 1
}

"$ROOT/deploy/stage-lib.sh" --link "$WORK/lib" "$@"
mkdir "$WORK/bin"
cp "$ROOT/deploy/entrypoint.sh" "$WORK/bin/emostream"

for broker_only in kafka_2.13 kafka-server kafka-server-common kafka-raft kafka-metadata kafka-storage \
    scala-library log4j-core jmh-core; do
  found=$(find "$WORK/lib" -name "$broker_only-[0-9]*.jar" -printf '%f ')
  [[ -z "$found" ]] || fail "the image's lib/ holds $found"
done

for command in run ingest; do
  status=0
  output=$("$WORK/bin/emostream" "$command" --help 2>&1) || status=$?
  [[ $status -eq 0 ]] || fail "'$command --help' exited $status: $output"
  grep -q "^Usage: emostream $command " <<<"$output" || fail "'$command --help' printed no usage line: $output"
done

# The demo needs the broker the image leaves out: one clear line and exit 1, never a NoClassDefFoundError.
status=0
output=$("$WORK/bin/emostream" demo 2>&1) || status=$?
[[ $status -eq 1 ]] || fail "'demo' exited $status (want 1): $output"
grep -q "needs the embedded Kafka broker" <<<"$output" || fail "'demo' did not say what is missing: $output"

# Runs the entry point with extra environment; sets $status and $output.
entrypoint() {
  status=0
  output=$(env "$@" 2>&1) || status=$?
}

# No arguments: `run`, which then asks for a cluster.
entrypoint "$WORK/bin/emostream"
[[ $status -eq 2 ]] || fail "no arguments exited $status (want 2, run without a cluster): $output"
grep -q "no Kafka cluster given" <<<"$output" || fail "no arguments did not run 'run': $output"

entrypoint EMOSTREAM_CONFIG_FILE="$WORK/from-env.properties" "$WORK/bin/emostream" run
[[ $status -eq 2 ]] && grep -q "from-env.properties not found" <<<"$output" \
  || fail "EMOSTREAM_CONFIG_FILE was not run's --config (exit $status): $output"
entrypoint EMOSTREAM_CONFIG_FILE="$WORK/from-env.properties" "$WORK/bin/emostream" run --config="$WORK/from-args.properties"
grep -q "from-args.properties not found" <<<"$output" || fail "--config did not win over the environment: $output"

entrypoint EMOSTREAM_BOOTSTRAP_SERVERS=127.0.0.1:1 EMOSTREAM_BATCH_MAX_SIZE=0 "$WORK/bin/emostream" run
[[ $status -eq 2 ]] && grep -q "batch.max.size" <<<"$output" \
  || fail "EMOSTREAM_BATCH_MAX_SIZE=0 was not refused naming batch.max.size (exit $status): $output"

entrypoint EMOSTREAM_METRICS_PORT=70000 "$WORK/bin/emostream" ingest --bootstrap-servers 127.0.0.1:1 --camera c \
  --source "$WORK/none.mp4"
[[ $status -eq 2 ]] && grep -q -- "--metrics-port must be 0..65535, got 70000" <<<"$output" \
  || fail "EMOSTREAM_METRICS_PORT was not ingest's --metrics-port (exit $status): $output"
entrypoint EMOSTREAM_BOOTSTRAP_SERVERS=127.0.0.1:1 "$WORK/bin/emostream" ingest --camera c --source "$WORK/none.mp4" \
  --broker-timeout 2
[[ $status -eq 1 ]] && grep -q "127.0.0.1:1" <<<"$output" \
  || fail "EMOSTREAM_BOOTSTRAP_SERVERS was not ingest's --bootstrap-servers (exit $status): $output"
entrypoint EMOSTREAM_BOOTSTRAP_SERVERS=127.0.0.1:1 "$WORK/bin/emostream" ingest --bootstrap-servers=127.0.0.2:1 \
  --camera c --source "$WORK/none.mp4" --broker-timeout 2
grep -q "127.0.0.2:1" <<<"$output" || fail "--bootstrap-servers did not win over the environment: $output"

# The health check against a stub /health/live answering 200, then 503, then nothing listening.
cat >"$WORK/HealthStub.java" <<'JAVA'
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

public class HealthStub {
    public static void main(String[] args) throws Exception {
        int status = Integer.parseInt(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
        server.createContext("/health/live", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        System.out.println("listening");
    }
}
JAVA
cp "$ROOT/deploy/healthcheck.sh" "$WORK/bin/healthcheck"
port=$(( 20000 + RANDOM % 20000 ))
for answer in 200 503; do
  java "$WORK/HealthStub.java" "$port" "$answer" >"$WORK/stub.out" 2>&1 &
  stub=$!
  for _ in $(seq 100); do grep -q listening "$WORK/stub.out" && break; sleep 0.1; done
  status=0
  EMOSTREAM_HTTP_PORT=$port "$WORK/bin/healthcheck" 2>/dev/null || status=$?
  kill "$stub"
  wait "$stub" 2>/dev/null || true
  if [[ $answer -eq 200 ]]; then
    [[ $status -eq 0 ]] || fail "healthcheck.sh failed on a 200 from /health/live"
  else
    [[ $status -ne 0 ]] || fail "healthcheck.sh passed on a 503 from /health/live"
  fi
done
status=0
EMOSTREAM_HTTP_PORT=$port "$WORK/bin/healthcheck" 2>/dev/null || status=$?
[[ $status -ne 0 ]] || fail "healthcheck.sh passed with nothing listening"

for dockerfile in Dockerfile Dockerfile.cuda; do
  grep -q '^USER 10001:10001$' "$ROOT/deploy/$dockerfile" || fail "$dockerfile does not run as user 10001"
  grep -q '^HEALTHCHECK .*CMD \["/opt/emostream/bin/healthcheck"\]$' "$ROOT/deploy/$dockerfile" \
    || fail "$dockerfile has no HEALTHCHECK running healthcheck.sh"
done

echo "test-entrypoint: OK: run --help and ingest --help work on $(ls "$WORK/lib" | wc -l) jars without the broker;" \
  "the environment configures run and ingest; the health check tells 200 from 503"
