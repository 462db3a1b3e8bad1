#!/usr/bin/env bash
# db copy at a million sessions: a file into an empty PostgreSQL database and back
# into a new file, each timed with its peak memory, then both files' JSON exports
# compared byte for byte. Not part of CI.
# Needs a server: NEEDLELOG_BENCH_PG=postgresql://USER:PASSWORD@HOST/DB, a role that
# may create databases (a database of its own is made and dropped).
# Usage: NEEDLELOG_BENCH_PG=… bash benches/server.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${NEEDLELOG_BENCH_PG:?set NEEDLELOG_BENCH_PG=postgresql://USER:PASSWORD@HOST/DB}"
work=${1:-$(mktemp -d)}
mkdir -p "$work"
now="2026-11-24 09:00"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release -q
bin=$PWD/target/release/needlelog
db=$work/huge.db
[ -f "$db" ] || "$bin" demo --people 20000 --years 10 --seed 1 --now "$now" --out "$db"

bench=needlelog_bench_$$
base=${NEEDLELOG_BENCH_PG%%\?*}
url="${base%/*}/$bench"
psql "$NEEDLELOG_BENCH_PG" -qc "CREATE DATABASE $bench"
trap 'psql "$NEEDLELOG_BENCH_PG" -qc "DROP DATABASE IF EXISTS $bench WITH (FORCE)"' EXIT

echo "== into the server"
/usr/bin/time -f "%e s, %M KB peak" "$bin" db copy "$db" "$url"
echo "== back into a new file"
rm -f "$work/back.db"
/usr/bin/time -f "%e s, %M KB peak" "$bin" db copy "$url" "$work/back.db"
echo "== both export the same"
"$bin" --db "$db" --now "$now" export --format json --force -o "$work/first.json" >/dev/null
"$bin" --db "$work/back.db" --now "$now" export --format json --force -o "$work/back.json" >/dev/null
cmp "$work/first.json" "$work/back.json" && echo "the same, $(stat -c %s "$work/first.json") bytes"
"$bin" --db "$url" doctor
