#!/bin/bash
# Manual check, not part of CI: needs root; creates a second PostgreSQL cluster "outage" on port 5433,
# points a source at it, stops it for 2 minutes and checks that every row arrives after it is back.
# Run from anywhere after `mvn -B -q package -DskipTests`: bash scripts/outage_2min.sh
# A real 2-minute source outage: a second PostgreSQL cluster is stopped and started again.
set -e
V=$(ls /etc/postgresql)
pg_lsclusters | grep -q outage || pg_createcluster -p 5433 $V outage >/dev/null
sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" /etc/postgresql/$V/outage/postgresql.conf
grep -q "host all all 127.0.0.1/32 trust" /etc/postgresql/$V/outage/pg_hba.conf || sed -i '1i host all all 127.0.0.1/32 trust' /etc/postgresql/$V/outage/pg_hba.conf
pg_ctlcluster --skip-systemctl-redirect $V outage start
P="psql -h 127.0.0.1 -p 5433 -U postgres -qAt"
$P -c "DROP DATABASE IF EXISTS shop" ; $P -c "CREATE DATABASE shop"
$P -d shop -c "CREATE TABLE sales (id int, seller int, updated_at timestamptz)" -c "INSERT INTO sales SELECT g, g % 3, now() FROM generate_series(1,100) g"
S="psql -h 127.0.0.1 -p 5432 -U postgres -qAt"
$S -c "DROP DATABASE IF EXISTS tributary_outage2 WITH (FORCE)"; $S -c "CREATE DATABASE tributary_outage2"
cd "$(dirname "$0")/.."
env TRIBUTARY_PORT=18097 TRIBUTARY_STORE_URL="jdbc:postgresql://127.0.0.1:5432/tributary_outage2?user=postgres" \
  TRIBUTARY_SOURCES_SHOP_URL="postgresql://postgres@127.0.0.1:5433/shop" \
  TRIBUTARY_SOURCES_SHOP_UPDATE_FREQUENCY=10s \
  TRIBUTARY_SOURCES_SHOP_STATEMENT="SELECT id AS reference, seller AS member_id, 'S' AS member_name, updated_at AS date FROM sales WHERE updated_at >= {{ last_update_time }} AND updated_at < {{ upper_date_limit }}" \
  java -jar connector-app/target/tributary.jar > /tmp/outage2min.log 2>&1 &
APP=$!
sleep 25
echo "before outage: $($S -d tributary_outage2 -c 'select count(*) from tributary.registrations')"
$P -d shop -c "INSERT INTO sales SELECT g, g % 3, now() FROM generate_series(101,150) g"
pg_ctlcluster --skip-systemctl-redirect $V outage stop -m fast
echo "source stopped at $(date -u +%T)"
sleep 120
pg_ctlcluster --skip-systemctl-redirect $V outage start
echo "source started at $(date -u +%T)"
for i in $(seq 1 60); do c=$($S -d tributary_outage2 -c 'select count(*) from tributary.registrations'); [ "$c" = 150 ] && break; sleep 1; done
echo "after outage: $c registrations (expected 150), recovered at $(date -u +%T)"
echo "failed runs during outage: $($S -d tributary_outage2 -c "select count(*) from tributary.import_runs where status='FAILED'")"
grep -c "retry .* after a transient failure" /tmp/outage2min.log | sed 's/^/retry log lines: /'
grep "retry .* after a transient failure" /tmp/outage2min.log | sed 's/.*source shop/source shop/' | head -3
grep "retry .* after a transient failure" /tmp/outage2min.log | sed 's/.*source shop/source shop/' | tail -2
kill $APP; wait $APP 2>/dev/null || true
pg_ctlcluster --skip-systemctl-redirect $V outage stop -m fast
