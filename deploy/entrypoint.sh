#!/bin/sh
# The image's entry point (deploy/Dockerfile copies it to /opt/emostream/bin/emostream): the emostream command line
# on the jars in ../lib, which deploy/stage-lib.sh put there. deploy/test-entrypoint.sh runs this same file.
#   EMOSTREAM_JAVA_OPTS  JVM options (default: -XX:MaxRAMPercentage=75, three quarters of the container's memory)
#   EMOSTREAM_DEBUG=1    stack traces with error messages
set -eu
LIB="$(cd "$(dirname "$0")/../lib" && pwd)"
# shellcheck disable=SC2086 # EMOSTREAM_JAVA_OPTS is a list of options
exec java ${EMOSTREAM_JAVA_OPTS:--XX:MaxRAMPercentage=75} -Djavacpp.platform=linux-x86_64 -cp "$LIB/*" \
  io.emostream.cli.Main "$@"
