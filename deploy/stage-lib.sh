#!/usr/bin/env bash
# Builds the command line and puts into LIB_DIR the jars the production image runs on: the project's jars, the
# runtime dependencies of `topology` (what an application embedding the plugin gets) and of `ingest`, and the
# command line's own picocli and logback. Everything else on the cli module's classpath stays out: the embedded
# broker (kafka_2.13, kafka-server, kafka-server-common and the Scala, raft, storage and coordinator jars only they
# pull in) and JMH. So `run`, `ingest`, `models` and `bench session|runtime` work from LIB_DIR; `demo` and a
# `bench pipeline` without --bootstrap-servers need the broker and do not.
#
# Usage: deploy/stage-lib.sh [--link] LIB_DIR [MAVEN_FLAG...]
#   --link       symlink the jars instead of copying them (deploy/test-entrypoint.sh; the image copies)
#   MAVEN_FLAG   passed to Maven, e.g. -o on a machine whose ~/.m2 already holds everything
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PLACE=(cp)
if [[ "${1:-}" == "--link" ]]; then
  PLACE=(ln -s)
  shift
fi
if [[ $# -lt 1 ]]; then
  echo "usage: deploy/stage-lib.sh [--link] LIB_DIR [MAVEN_FLAG...]" >&2
  exit 2
fi
LIB="$1"
shift

# One reactor build; every module writes its runtime classpath to target/runtime-classpath.txt.
(cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never "$@" -Dmaven.test.skip=true -pl cli -am package dependency:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt)

classpath() {
  tr ':' '\n' <"$ROOT/$1/target/runtime-classpath.txt"
  echo
}

mkdir -p "$LIB"
{
  classpath topology
  classpath ingest
  ls "$ROOT"/cli/target/emostream-cli-*.jar
  # the project's jars the cli module adds (topology, ingest, bench) and the command line's own libraries
  classpath cli | grep -E "^$ROOT/[a-z]+/target/emostream-|/(picocli|logback-classic|logback-core)-[0-9][^/]*\.jar$"
} | grep -v '^$' | sort -u | while read -r jar; do
  if [[ -e "$LIB/$(basename "$jar")" ]]; then
    echo "stage-lib: two jars named $(basename "$jar") ($jar)" >&2
    exit 1
  fi
  "${PLACE[@]}" "$jar" "$LIB/"
done

left_out=$(classpath cli | grep -v '^$' | while read -r jar; do
  [[ -e "$LIB/$(basename "$jar")" ]] || basename "$jar"
done | wc -l)
echo "stage-lib: $(ls "$LIB" | wc -l) jars in $LIB; left out $left_out that only the embedded broker and JMH need"
