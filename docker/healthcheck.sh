#!/bin/bash
# The image's HEALTHCHECK: GET /actuator/health on the app's port, healthy on HTTP 200 (Spring Boot answers 503 when
# the app or its store is down). Plain bash, because neither curl nor wget is in every Java base image.
set -u
host=127.0.0.1
case "${TRIBUTARY_BIND_ADDRESS:-}" in
  "" | 0.0.0.0 | "::" | 127.0.0.1 | localhost) ;;
  *) host=$TRIBUTARY_BIND_ADDRESS ;;  # the server listens on that address only
esac
exec 3<>"/dev/tcp/$host/${TRIBUTARY_PORT:-8080}" || exit 1
printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS=$' \r' read -r _ code _ <&3 || exit 1
echo "GET /actuator/health: $code"
[ "$code" = 200 ]
