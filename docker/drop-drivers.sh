#!/bin/sh
# Removes the jars of the optional drivers not named in DRIVERS from the extracted layers (docker/Dockerfile).
# usage: drop-drivers.sh DRIVERS driver-jars.txt extracted-dir
set -eu
drivers=$1 list=$2 dir=$3
known="mysql sqlserver oracle snowflake bigquery"
case "$drivers" in
  all) exit 0 ;;
  none) drivers="" ;;
esac
for d in $drivers; do
  case " $known " in
    *" $d "*) ;;
    *) echo "DRIVERS: unknown driver '$d'; write all, none, or some of: $known (postgresql and h2 always stay)" >&2
       exit 2 ;;
  esac
done
removed=0 bytes=0
while read -r jar needed_by; do
  case "$jar" in "#"* | "") continue ;; esac
  keep=no
  for d in $(echo "$needed_by" | tr , ' '); do
    case " $drivers " in *" $d "*) keep=yes ;; esac
  done
  [ "$keep" = yes ] && continue
  path=$(find "$dir" -path "*/lib/$jar" | head -n 1)
  if [ -z "$path" ]; then
    echo "$list names $jar, which tributary.jar does not hold: the list is stale (python3 scripts/driver-jars.py)" >&2
    exit 3
  fi
  bytes=$((bytes + $(wc -c < "$path")))
  rm "$path"
  removed=$((removed + 1))
done < "$list"
echo "DRIVERS='$1': removed $removed jars, $((bytes / 1000000)) MB"
