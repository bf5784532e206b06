#!/usr/bin/env bash
# Live dilemma boards under load: 40 sessions of 30 pupils (1,200 phones) join and vote at a
# lesson's pace while 40 classroom screens follow their board's live stream (server-sent
# events). Starts a release `erbij serve` on a fresh SQLite data folder (or a fresh PostgreSQL
# database), adds an administrator and a coordinator, and runs bench/lessons-live.py (Python 3,
# stdlib only), which times every vote from sending it until its board's stream shows it.
# Target (issue 13): votes reflected on the board within 1 s at p99. Figures go in
# BENCHMARKS.md ("Live dilemma boards").
# Usage: bench/lessons-live.sh [sqlite|postgres] [SESSIONS] [PUPILS]   (defaults: sqlite 40 30)
#   postgres needs ERBIJ_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
#   whose user may create and drop a database.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
sessions="${2:-40}"
pupils="${3:-30}"
# ERBIJ_BIN: another binary (a quick check with the debug build); figures only from release.
if [ -z "${ERBIJ_BIN:-}" ]; then cargo build --release -q -p erbij; fi
erbij="${ERBIJ_BIN:-./target/release/erbij}"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log="$data/serve.log"
case "$backend" in
  sqlite) where=(--data-dir "$data/db") ;;
  postgres)
    server_url="${ERBIJ_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}"
    db="erbij_bench_lessons_$$"
    psql -q "$server_url/postgres" -c "CREATE DATABASE $db"
    where=(--database-url "$server_url/$db") ;;
  *) echo "usage: $0 [sqlite|postgres] [SESSIONS] [PUPILS]" >&2; exit 2 ;;
esac
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "$backend" = postgres ]; then psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS $db" || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
for who in administrator coordinator; do
  printf '%s' "$password" | "$erbij" user add --email "$who@lessons.example" \
    --name "Bench $who" --role "$who" --school "Lesschool" --password-stdin "${where[@]}" >/dev/null
done
admin_token=$("$erbij" token create --email administrator@lessons.example "${where[@]}" | tail -1)
coordinator_token=$("$erbij" token create --email coordinator@lessons.example "${where[@]}" | tail -1)
"$erbij" serve "${where[@]}" --listen "127.0.0.1:$port" >"$log" 2>/dev/null &
server=$!
for _ in $(seq 200); do grep -q "erbij is running" "$log" 2>/dev/null && break; sleep 0.1; done
echo "backend: $backend; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/lessons-live.py "http://127.0.0.1:$port" "$admin_token" "$coordinator_token" \
  coordinator@lessons.example "$password" "$server" "$sessions" "$pupils"
