#!/usr/bin/env bash
# Survey spike: 1,500 pupils (50 classes of 30) answer a class survey within one minute,
# through POST /api/v1/answers (the code is the credential), on the release build.
# Starts `erbij serve` on a fresh SQLite data folder (or a fresh PostgreSQL database), adds an
# administrator and a coordinator with API tokens, and runs bench/survey-spike.py: a lesson
# minute (classes start at random moments; 1,500 answers within 60 s), a burst at 150 answers
# per second, and a closed loop with 50 connections. Target: acknowledged at > 100/s with
# p99 < 200 ms. Figures go in BENCHMARKS.md ("Survey spike").
# Usage: bench/survey-spike.sh [sqlite|postgres] [ratings|nominations]   (defaults: sqlite ratings)
#   postgres needs ERBIJ_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
#   whose user may create and drop a database.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
kind="${2:-ratings}"
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
    db="erbij_bench_spike_$$"
    psql -q "$server_url/postgres" -c "CREATE DATABASE $db"
    where=(--database-url "$server_url/$db") ;;
  *) echo "usage: $0 [sqlite|postgres] [ratings|nominations]" >&2; exit 2 ;;
esac
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "$backend" = postgres ]; then psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS $db" || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
for who in administrator coordinator; do
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | "$erbij" user add --email "$who@spike.example" \
    --name "Bench $who" --role "$who" --school "Spikeschool" --password-stdin "${where[@]}" >/dev/null
done
admin_token=$("$erbij" token create --email administrator@spike.example "${where[@]}" | tail -1)
coordinator_token=$("$erbij" token create --email coordinator@spike.example "${where[@]}" | tail -1)
"$erbij" serve "${where[@]}" --listen "127.0.0.1:$port" >"$log" 2>/dev/null &
server=$!
for _ in $(seq 200); do grep -q "erbij is running" "$log" 2>/dev/null && break; sleep 0.1; done
echo "backend: $backend; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/survey-spike.py "http://127.0.0.1:$port" "$admin_token" "$coordinator_token" "$kind"
