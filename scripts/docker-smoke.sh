#!/usr/bin/env bash
# Smoke test of the container image (docker/Dockerfile) and the compose file, run by .ci/run after the tests and
# on its own (as root, on Debian bookworm, with the local PostgreSQL on 127.0.0.1:5432):
#
#   scripts/docker-smoke.sh
#
# No registry is reachable here, so the base image is made from Debian's packages: debootstrap (minbase) plus
# openjdk-17-jre-headless, imported with `docker import`; its tarball is cached in TRIBUTARY_DOCKER_CACHE
# (default /var/cache/tributary-docker), so reruns skip debootstrap. The script starts its own dockerd (no bridge,
# no iptables) under a temporary directory, builds the real Dockerfile twice (all drivers, and DRIVERS=none),
# runs each image with host networking, waits for its health check, imports rows from a table it creates in the
# local PostgreSQL (database dockersmoke_src) through the HTTP API, checks the count, validates docker/compose.yaml
# with docker-compose, and removes what it created: containers, images, volumes, dockerd's data root, the database.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=${TRIBUTARY_DOCKER_CACHE:-/var/cache/tributary-docker}
BASE_TAR=$CACHE/bookworm-minbase-openjdk17.tar
BASE_IMAGE=dockersmoke-base:bookworm-openjdk17
ROWS=${DOCKERSMOKE_ROWS:-5000}
PGHOST=${TRIBUTARY_TEST_POSTGRES_HOST:-127.0.0.1} PGPORT=${TRIBUTARY_TEST_POSTGRES_PORT:-5432}
PGUSER=${TRIBUTARY_TEST_POSTGRES_USER:-postgres}
export PGHOST PGPORT PGUSER
started=$SECONDS

say() { echo "docker-smoke [$((SECONDS - started))s]: $*"; }
fail() { echo "docker-smoke: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (it installs packages and starts dockerd)"
[ -f connector-app/target/tributary.jar ] || mvn -B -q package -DskipTests -pl connector-app -am

# 1. What it needs, from Debian: the engine, debootstrap, and docker-compose (Debian has no compose plugin).
missing=()
for pair in dockerd:docker.io debootstrap:debootstrap docker-compose:docker-compose; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=900 \
    "${missing[@]}" >/dev/null
fi
DOCKER=/usr/bin/docker  # Debian's client, of the same version as its dockerd

# 2. A dockerd of our own under a temporary directory, stopped by its PID on exit.
TMP=$(mktemp -d /tmp/dockersmoke.XXXXXX)
export DOCKER_HOST=unix://$TMP/docker.sock
dockerd_pid=
cleanup() {
  local rc=$?
  set +e
  if [ -n "$dockerd_pid" ]; then
    $DOCKER rm -f dockersmoke-full dockersmoke-slim >/dev/null 2>&1
    $DOCKER volume rm dockersmoke-full-data dockersmoke-slim-data >/dev/null 2>&1
    $DOCKER rmi -f dockersmoke-tributary:full dockersmoke-tributary:slim dockersmoke-tributary:changed \
      "$BASE_IMAGE" >/dev/null 2>&1
    kill "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$dockerd_pid" 2>/dev/null
  fi
  # what dockerd left mounted under its roots (overlay layers, the container's network namespace file)
  grep -o " $TMP/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$TMP"
  psql -q -d postgres -c 'DROP DATABASE IF EXISTS dockersmoke_src' >/dev/null 2>&1
  [ $rc = 0 ] && say "passed in $((SECONDS - started)) s" || say "failed (exit $rc); see above"
}
trap cleanup EXIT

say "starting dockerd under $TMP"
dockerd --bridge=none --iptables=false --ip-masq=false --userland-proxy=false \
  --data-root "$TMP/data" --exec-root "$TMP/exec" --pidfile "$TMP/docker.pid" --host "$DOCKER_HOST" \
  >"$TMP/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 60); do
  $DOCKER version >/dev/null 2>&1 && break
  kill -0 "$dockerd_pid" 2>/dev/null || { cat "$TMP/dockerd.log" >&2; fail "dockerd exited"; }
  sleep 0.5
done
$DOCKER version --format 'engine {{.Server.Version}}, storage driver '"$($DOCKER info --format '{{.Driver}}')"

# 3. The base image: Debian minbase + a Debian JRE, cached as a tarball outside the repository.
if [ ! -s "$BASE_TAR" ]; then
  say "making the base image with debootstrap (cached in $BASE_TAR for later runs)"
  mkdir -p "$CACHE"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$TMP/rootfs" \
    http://deb.debian.org/debian >"$TMP/debootstrap.log" 2>&1 || { tail -20 "$TMP/debootstrap.log" >&2; fail "debootstrap"; }
  rm -rf "$TMP"/rootfs/var/lib/apt/lists/* "$TMP"/rootfs/var/cache/apt/*.bin "$TMP"/rootfs/var/cache/apt/archives/*.deb
  tar -C "$TMP/rootfs" --numeric-owner -cf "$BASE_TAR.part" . && mv "$BASE_TAR.part" "$BASE_TAR"
  rm -rf "$TMP/rootfs"
fi
$DOCKER import --change 'ENV LANG=C.UTF-8' "$BASE_TAR" "$BASE_IMAGE" >/dev/null
say "base image $BASE_IMAGE: $($DOCKER run --rm --network none "$BASE_IMAGE" java -version 2>&1 | head -1)"

# 4. The real Dockerfile, with the base-image argument pointing at the local base: all drivers, and none.
python3 scripts/driver-jars.py --check
out=$(sh docker/drop-drivers.sh "mysql db2" docker/driver-jars.txt "$TMP" 2>&1) && fail "DRIVERS accepted 'db2'"
[ "$out" = "DRIVERS: unknown driver 'db2'; write all, none, or some of: mysql sqlserver oracle snowflake bigquery \
(postgresql and h2 always stay)" ] || fail "DRIVERS=db2: '$out'"
build() {  # tag, DRIVERS
  local t0=$SECONDS
  DOCKER_BUILDKIT=0 $DOCKER build -q --network host -f docker/Dockerfile --build-arg BASE_IMAGE="$BASE_IMAGE" \
    --build-arg DRIVERS="$2" -t "dockersmoke-tributary:$1" . >/dev/null
  say "built dockersmoke-tributary:$1 (DRIVERS=$2) in $((SECONDS - t0)) s: $(( $($DOCKER image inspect \
    --format '{{.Size}}' "dockersmoke-tributary:$1") / 1000000 )) MB"
}
build full all
build slim none
say "base image $(( $($DOCKER image inspect --format '{{.Size}}' "$BASE_IMAGE") / 1000000 )) MB; the full image's own layers:"
# newest first; the last line is the imported base
$DOCKER history --format '{{.Size}}\t{{.CreatedBy}}' dockersmoke-tributary:full | sed '$d' | grep -v '^0B' \
  | cut -c1-100 | sed 's/^/    /' 
# A code change: the same jar with one more class-path file, built again. Only the application layer may change.
mkdir -p "$TMP/ctx/connector-app/target"
cp -r docker "$TMP/ctx/"
cp connector-app/target/tributary.jar "$TMP/ctx/connector-app/target/"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "a").writestr("BOOT-INF/classes/smoke.txt", "a change")' \
  "$TMP/ctx/connector-app/target/tributary.jar"
DOCKER_BUILDKIT=0 $DOCKER build -q --network host -f "$TMP/ctx/docker/Dockerfile" --build-arg BASE_IMAGE="$BASE_IMAGE" \
  -t dockersmoke-tributary:changed "$TMP/ctx" >/dev/null
old_layers=$($DOCKER history -q --no-trunc dockersmoke-tributary:full)
new_bytes=0
while read -r id size; do
  grep -qx "$id" <<<"$old_layers" || new_bytes=$((new_bytes + size))
done < <($DOCKER history --no-trunc --human=false --format '{{.ID}} {{.Size}}' dockersmoke-tributary:changed)
say "after a code change the image differs by $((new_bytes / 1000)) kB of layers"
[ "$new_bytes" -lt 10000000 ] || fail "a code change rebuilt $new_bytes bytes of layers (the dependencies layer?)"
$DOCKER rmi dockersmoke-tributary:changed >/dev/null
[ "$($DOCKER image inspect --format '{{.Config.User}}' dockersmoke-tributary:full)" = tributary ] \
  || fail "the image does not run as the user tributary"

# 5. The source: a table of ROWS sales in the local PostgreSQL.
export PGOPTIONS='-c client_min_messages=warning'
psql -q -d postgres -c 'DROP DATABASE IF EXISTS dockersmoke_src' -c 'CREATE DATABASE dockersmoke_src' >/dev/null
psql -q -d dockersmoke_src >/dev/null <<SQL
CREATE TABLE sales (id bigint PRIMARY KEY, seller int NOT NULL, amount numeric(10,2) NOT NULL,
                    sold_at timestamptz NOT NULL);
INSERT INTO sales SELECT i, i % 7, i * 0.5, timestamptz '2024-01-01 00:00Z' + i * interval '1 minute'
  FROM generate_series(1, $ROWS) i;
SQL
echo "a-token-for-the-docker-smoke-$RANDOM$RANDOM" >"$TMP/token"
echo "unused-with-trust-auth" >"$TMP/source-password"
chmod 0644 "$TMP/token" "$TMP/source-password"
TOKEN=$(cat "$TMP/token")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits for the container's health status on docker events (not by polling); fails if it dies or turns unhealthy.
wait_healthy() {  # container, since
  local status="" events
  exec 4< <(exec timeout 240 $DOCKER events --since "$2" --filter "container=$1" --filter event=health_status \
              --filter event=die --format '{{.Status}}')
  events=$!
  while IFS= read -r -u 4 status; do
    case "$status" in "health_status: healthy" | "health_status: unhealthy" | die) break ;; esac
  done
  kill "$events" 2>/dev/null || true
  exec 4<&-
  if [ "$status" != "health_status: healthy" ]; then
    $DOCKER logs --tail 40 "$1" >&2 || true
    fail "$1: '${status:-no health status within 240 s}'"
  fi
}

api() {  # method, path, [json body]
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $TOKEN" ${3:+-H 'Content-Type: application/json' -d "$3"} \
    "http://127.0.0.1:$port$2"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# 6. Each image: run it (host network, a free port, the token and the source password as _FILE secrets, the H2
#    store on a named volume), wait for health, run a historical import through the API, check the count.
smoke() {  # tag
  local name=dockersmoke-$1 since logs
  port=$(free_port)
  since=$(date +%s)
  $DOCKER run -d --name "$name" --network host --health-interval 2s \
    -v "$name-data:/var/lib/tributary" \
    -v "$TMP/token:/run/secrets/tributary-token:ro" -v "$TMP/source-password:/run/secrets/source-password:ro" \
    -e TRIBUTARY_PORT="$port" -e TRIBUTARY_BIND_ADDRESS=127.0.0.1 \
    -e TRIBUTARY_API_TOKEN_FILE=/run/secrets/tributary-token -e TRIBUTARY_DEMO=false \
    -e TRIBUTARY_SOURCES_SMOKE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/dockersmoke_src" \
    -e TRIBUTARY_SOURCES_SMOKE_PASSWORD_FILE=/run/secrets/source-password \
    -e TRIBUTARY_SOURCES_SMOKE_UPDATE_FREQUENCY=1h \
    -e TRIBUTARY_SOURCES_SMOKE_STATEMENT="SELECT id AS reference, seller AS member_id, 'Seller ' || seller AS member_name,
       sold_at AS date, amount FROM sales
       WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }} ORDER BY sold_at" \
    "dockersmoke-tributary:$1" >/dev/null
  wait_healthy "$name" "$since"
  say "$name healthy on port $port after $(( $(date +%s) - since )) s"

  # Without the token the API refuses; health answers without it.
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/sources")" = 401 ] || fail "API without token"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health")" = 200 ] || fail "health"

  # The import's end is awaited on the event stream (opened first, so the event cannot be missed).
  local line id stream
  exec 3< <(exec timeout 180 curl -sSN -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/events?source=smoke")
  stream=$!
  IFS= read -r -t 30 line <&3 && [[ "$line" == :connected* ]] || fail "event stream did not open: '$line'"
  id=$(api POST /api/sources/smoke/imports '{"from": "2024-01-01", "to": "2025-01-01"}' | json 'd["id"]')
  while IFS= read -r -t 180 line <&3; do
    [[ "$line" == data:*'"importId":"'"$id"'"'* ]] || continue
    [[ "$line" == *'"state":"running"'* ]] || break
  done
  kill "$stream" 2>/dev/null || true
  exec 3<&-
  [[ "$line" == *'"state":"succeeded"'* ]] || fail "import $id did not succeed: '$line'"
  local stored imported
  imported=$(api GET "/api/imports/$id" | json 'd["rows"]["inserted"] + d["rows"]["updated"] + d["rows"]["unchanged"]')
  stored=$(api GET /api/sources/smoke | json 'd["registrations"]')
  [ "$stored" = "$ROWS" ] || fail "$name: $stored registrations stored, expected $ROWS"
  say "$name: historical import $id stored $imported rows; the source has $stored registrations (expected $ROWS)"

  # The documented heap is in force, and the token never reached the log.
  logs=$($DOCKER logs "$name" 2>&1)
  grep -q 'Picked up JAVA_TOOL_OPTIONS: -Xmx256m -Xms32m -XX:+UseSerialGC' <<<"$logs" \
    || fail "$name: JAVA_TOOL_OPTIONS is not the documented -Xmx256m -Xms32m -XX:+UseSerialGC"
  ! grep -qF "$TOKEN" <<<"$logs" || fail "$name: the API token is in the log"

  # The H2 store is on the volume, written by the non-root user.
  $DOCKER exec "$name" sh -c 'test "$(id -un)" = tributary && test -s /var/lib/tributary/tributary-store.mv.db' \
    || fail "$name: no H2 store written by the user tributary on the volume"
  $DOCKER rm -f "$name" >/dev/null
}
smoke full
smoke slim

# 7. The slim image refuses a source whose driver it left out, and the entrypoint refuses two store passwords.
out=$(timeout 120 $DOCKER run --rm --network host -e TRIBUTARY_PORT="$(free_port)" \
        -e TRIBUTARY_SOURCES_SF_URL='jdbc:snowflake://acct.snowflakecomputing.com' \
        -e TRIBUTARY_SOURCES_SF_STATEMENT='SELECT 1 WHERE {{ last_update_time }} < {{ upper_date_limit }}' \
        dockersmoke-tributary:slim 2>&1) && fail "the slim image started with a Snowflake source"
refusal=$(grep -m1 -o "source sf: no dialect supports URLs starting 'jdbc:'; available dialects: [a-z0-9, ]*" <<<"$out") \
  || { echo "$out" | tail -5 >&2; fail "the slim image did not refuse the Snowflake source with a clear message"; }
! grep -q snowflake <<<"${refusal#*available}" || fail "the slim image still offers Snowflake: $refusal"
say "slim image, Snowflake source: $refusal"
out=$($DOCKER run --rm --network none -e TRIBUTARY_STORE_PASSWORD=a -e TRIBUTARY_STORE_PASSWORD_FILE=/dev/null \
        dockersmoke-tributary:slim 2>&1) && fail "the entrypoint accepted two store passwords"
[ "$out" = "TRIBUTARY_STORE_PASSWORD and TRIBUTARY_STORE_PASSWORD_FILE are both set; keep one" ] || fail "entrypoint: '$out'"

# 8. The compose file, checked by docker-compose's own validation.
docker-compose -f docker/compose.yaml config -q
say "docker/compose.yaml is valid ($(docker-compose version --short))"
