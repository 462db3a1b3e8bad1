#!/usr/bin/env bash
# Benchmarks on a practitioner-sized file (2,000 people, 10 years, ~90k sessions).
# Not part of CI. Needs hyperfine, sqlite3 and tmux (installed when missing).
# Usage: bash benches/run.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
now="2026-11-24 09:00"

need=()
for tool in hyperfine sqlite3 tmux; do command -v "$tool" >/dev/null || need+=("$tool"); done
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi

cargo build --release -q
bin=$PWD/target/release/needlelog
db=$work/big.db
rm -f "$db" "$work/fresh.db" "$work/export.json"
echo "== generating the file"
/usr/bin/time -f "demo at 100k: %e s, %M KB peak" "$bin" demo --people 2000 --years 10 --seed 1 --now "$now" --out "$db"
"$bin" --db "$db" doctor

echo "== status --json against the sqlite3 shell"
hyperfine -N --warmup 5 --runs 50 \
  "sqlite3 -json $db '.read benches/status-equivalent.sql'" \
  "$bin --db $db --now '$now' status --json"

echo "== export and import of the whole file"
hyperfine --warmup 1 --runs 10 "$bin --db $db export --format json --force -o $work/export.json"
sessions=$("$bin" --db "$db" doctor --json | sed -n 's/.*"sessions": \([0-9]*\).*/\1/p')
echo "sessions in the file: $sessions"
hyperfine --runs 10 --prepare "rm -f $work/fresh.db $work/fresh.db-journal" "$bin --db $work/fresh.db import $work/export.json"

echo "== the app in-process: first frame, key to redraw, reload"
NEEDLELOG_BENCH_DB=$db cargo bench -q --bench app
cargo bench -q --bench photos

echo "== the app as a process in a terminal: peak memory after the first frame and some keys"
sock=needlelog-bench-$$
tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 "$bin --db $db --now '$now'; sleep 5"
for _ in $(seq 200); do tmux -L "$sock" capture-pane -p -t b | grep -q "1 Today" && break; sleep 0.05; done
pid=$(pgrep -n -x needlelog)
for key in Enter 3 j j j 2 - - + 4 j j j l j 1; do tmux -L "$sock" send-keys -t b "$key"; sleep 0.05; done
grep -E "VmHWM|VmRSS" "/proc/$pid/status"
tmux -L "$sock" send-keys -t b q
tmux -L "$sock" kill-server 2>/dev/null || true

echo "== the day's first write: the check and the copy before it (peak memory, GNU time's %M)"
first_write() {
  local file=$1
  rm -rf "$(dirname "$file")/backups"
  for day in 25 26; do
    /usr/bin/time -f "$(basename "$file"), first write of 2026-11-$day: %M KB peak, %e s" \
      "$bin" --db "$file" --now "2026-11-$day 09:00" person add "Bench $day" >/dev/null
  done
  /usr/bin/time -f "$(basename "$file"), a later write the same day: %M KB peak, %e s" \
    "$bin" --db "$file" --now "2026-11-26 10:00" person add "Bench later" >/dev/null
}
first_write "$db"
echo "== the same on a million sessions"
huge=$work/huge.db
rm -f "$huge"
/usr/bin/time -f "demo at 1M: %e s, %M KB peak" "$bin" demo --people 20000 --years 10 --seed 1 --now "$now" --out "$huge"
first_write "$huge"

echo "== every command at 100k and 1M sessions: seconds and peak memory (GNU time's %M)"
scale() {
  local file=$1 name=$2 out=$work/out
  mkdir -p "$out"
  run() {
    local what=$1; shift
    /usr/bin/time -f "$name  $what: %e s, %M KB peak" "$bin" --db "$file" --now "$now" "$@" >/dev/null
  }
  run "list" list
  run "list --json" list --json
  run "export json" export --format json --force -o "$out/e.json"
  run "export csv" export --format csv --force -o "$out/e.csv"
  run "export ics --all" export --format ics --all --force -o "$out/e.ics"
  run "course list --all" course list --all
  run "lots" lots
  run "lots --lot GF-26Q4" lots --lot GF-26Q4
  run "due" due
  run "day" day 2026-11-25
  run "remind --within 7d" remind --within 7d --again
  run "status --json" status --json
  run "doctor" doctor
  rm -f "$out/i.db" "$out/m.db"
  /usr/bin/time -f "$name  import: %e s, %M KB peak" "$bin" --db "$out/i.db" --now "$now" import "$out/e.json" >/dev/null
  /usr/bin/time -f "$name  import --merge (empty file): %e s, %M KB peak" \
    "$bin" --db "$out/m.db" --now "$now" import --merge "$out/e.json" >/dev/null
}
scale "$db" 100k
scale "$huge" 1M

echo "== due, day, lots, remind and status against the sqlite3 shell asking the same, at 1M"
for what in due day lots remind status; do
  case $what in
    due) args="due" ;;
    day) args="day 2026-11-25" ;;
    lots) args="lots" ;;
    remind) args="remind --within 7d --again" ;;
    status) args="status --json" ;;
  esac
  hyperfine -N --warmup 2 --runs 10 \
    "sqlite3 -json $huge '.read benches/$what-equivalent.sql'" \
    "$bin --db $huge --now '$now' $args"
done
