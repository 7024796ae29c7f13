#!/bin/sh
# Starts Tributary; arguments are passed on, so `docker run IMAGE import --source sales ...` runs the command line.
# The app reads the _FILE form of source passwords, statements and the API token itself; the store password it
# does not, so TRIBUTARY_STORE_PASSWORD_FILE (a Docker or Kubernetes secret) is read here.
set -eu
if [ -n "${TRIBUTARY_STORE_PASSWORD_FILE:-}" ]; then
  if [ -n "${TRIBUTARY_STORE_PASSWORD:-}" ]; then
    echo "TRIBUTARY_STORE_PASSWORD and TRIBUTARY_STORE_PASSWORD_FILE are both set; keep one" >&2
    exit 2
  fi
  if [ ! -r "$TRIBUTARY_STORE_PASSWORD_FILE" ]; then
    echo "TRIBUTARY_STORE_PASSWORD_FILE: cannot read $TRIBUTARY_STORE_PASSWORD_FILE (as uid $(id -u))" >&2
    exit 2
  fi
  # $(...) drops the file's trailing newlines, as the app does for _PASSWORD_FILE
  TRIBUTARY_STORE_PASSWORD=$(cat "$TRIBUTARY_STORE_PASSWORD_FILE")
  export TRIBUTARY_STORE_PASSWORD
  unset TRIBUTARY_STORE_PASSWORD_FILE
fi
exec java -jar /opt/tributary/tributary.jar "$@"
