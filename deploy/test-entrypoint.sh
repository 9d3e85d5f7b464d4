#!/usr/bin/env bash
# The production image's test, run as a script because containers cannot run on the machines this project is built
# on. It stages the image's lib/ exactly as deploy/Dockerfile does (deploy/stage-lib.sh, symlinked), checks that no
# jar of the embedded broker or JMH is in it, then runs the image's entry point (deploy/entrypoint.sh, laid out as in
# the image: bin/emostream beside lib/): `run --help` and `ingest --help` must exit 0 and print their usage, and
# `demo` must say in one line that the image has no embedded broker.
# Not tested here: the Docker build itself, the base images, CUDA inside a container.
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

echo "test-entrypoint: OK: run --help and ingest --help work on $(ls "$WORK/lib" | wc -l) jars without the broker"
