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

# status --json at a practice's size (2,000 people, ≈100k sessions): the file,
# and the same records on the server. Over a Unix socket when
# NEEDLELOG_BENCH_PG_LOCAL names one (postgresql://ROLE@%2Fvar%2Frun%2Fpostgresql/DB
# with that role able to make databases), else over the address above.
echo "== status --json, file and server, ≈100k sessions"
practice=$work/practice.db
[ -f "$practice" ] || "$bin" demo --people 2000 --years 10 --seed 1 --now "$now" --out "$practice" >/dev/null
local_base=${NEEDLELOG_BENCH_PG_LOCAL:-$NEEDLELOG_BENCH_PG}
local_base=${local_base%%\?*}
small=${bench}_practice
psql "$NEEDLELOG_BENCH_PG" -qc "CREATE DATABASE $small"
trap 'psql "$NEEDLELOG_BENCH_PG" -qc "DROP DATABASE IF EXISTS $bench WITH (FORCE)"; psql "$NEEDLELOG_BENCH_PG" -qc "DROP DATABASE IF EXISTS $small WITH (FORCE)"' EXIT
"$bin" db copy "$practice" "${base%/*}/$small" >/dev/null
served="${local_base%/*}/$small"
cmp <("$bin" --db "$practice" --now "$now" status --json) <("$bin" --db "$served" --now "$now" status --json) \
    && echo "the same JSON from both"
hyperfine -N -w 3 -r 20 \
    "$bin --db $practice --now '$now' status --json" \
    "$bin --db $served --now '$now' status --json"
