#!/usr/bin/env bash
# The images' HEALTHCHECK: GET /health/live of the process in this container, healthy on 200. Plain bash (its
# /dev/tcp), since the JRE base images carry neither curl nor wget for certain. The port: EMOSTREAM_METRICS_PORT
# (an ingest container), else EMOSTREAM_HTTP_PORT (run), else 8080. deploy/test-entrypoint.sh tests it.
set -u
port="${EMOSTREAM_METRICS_PORT:-${EMOSTREAM_HTTP_PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
case "$status" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "health check: ${status%$'\r'}" >&2; exit 1 ;;
esac
