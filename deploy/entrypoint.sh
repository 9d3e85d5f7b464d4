#!/bin/sh
# The images' entry point (deploy/Dockerfile and Dockerfile.cuda copy it to /opt/emostream/bin/emostream): the
# emostream command line on the jars in ../lib, which deploy/stage-lib.sh put there, configured from the
# environment. deploy/test-entrypoint.sh runs this same file.
#
# With no arguments it runs `run`. The environment:
#   EMOSTREAM_<KEY>              any emostream or Kafka Streams setting, read by `run` itself
#                                (EMOSTREAM_BOOTSTRAP_SERVERS=kafka:9092 sets bootstrap.servers,
#                                EMOSTREAM_HTTP_PORT=8080 sets http.port); see "Configuration" in README.md
#   EMOSTREAM_CONFIG_FILE        run: a properties file, as --config (a --config argument wins)
#   EMOSTREAM_BOOTSTRAP_SERVERS  ingest: the brokers, as --bootstrap-servers (an argument wins)
#   EMOSTREAM_METRICS_PORT       ingest: /metrics and /health/* on this port, as --metrics-port (an argument wins)
#   EMOSTREAM_JAVA_OPTS          JVM options (default: -XX:MaxRAMPercentage=60, leaving the rest of the container's
#                                memory to ONNX Runtime and FFmpeg, which allocate outside the heap)
#   EMOSTREAM_DEBUG=1            stack traces with error messages
set -eu
LIB="$(cd "$(dirname "$0")/../lib" && pwd)"

command="${1:-run}"
[ $# -gt 0 ] && shift

# Whether the arguments already hold the option $1 (as "--opt value" or "--opt=value").
given() {
  option="$1"
  shift
  for arg in "$@"; do
    case "$arg" in "$option" | "$option="*) return 0 ;; esac
  done
  return 1
}

case "$command" in
  run)
    if [ -n "${EMOSTREAM_CONFIG_FILE:-}" ] && ! given --config "$@"; then
      set -- --config "$EMOSTREAM_CONFIG_FILE" "$@"
    fi
    ;;
  ingest)
    if [ -n "${EMOSTREAM_BOOTSTRAP_SERVERS:-}" ] && ! given --bootstrap-servers "$@"; then
      set -- --bootstrap-servers "$EMOSTREAM_BOOTSTRAP_SERVERS" "$@"
    fi
    if [ -n "${EMOSTREAM_METRICS_PORT:-}" ] && ! given --metrics-port "$@"; then
      set -- --metrics-port "$EMOSTREAM_METRICS_PORT" "$@"
    fi
    ;;
esac

# shellcheck disable=SC2086 # EMOSTREAM_JAVA_OPTS is a list of options
exec java ${EMOSTREAM_JAVA_OPTS:--XX:MaxRAMPercentage=60} -Djavacpp.platform=linux-x86_64 -cp "$LIB/*" \
  io.emostream.cli.Main "$command" "$@"
