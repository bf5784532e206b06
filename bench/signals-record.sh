#!/usr/bin/env bash
# Load test: 50 teachers recording signs at the same time, through the JSON API.
# Starts `erbij serve --demo` on a fresh SQLite data folder (or a fresh PostgreSQL database),
# adds 50 teacher accounts with their own API tokens, assigns them all to class 2B, and runs
# wrk (Debian package `wrk`) with 50 connections: every request is
# `POST /api/v1/pupils/{id}/signals` for one of 2B's pupils, by one of the 50 teachers, with a
# rotating kind and a short note. Every request writes a row. Two runs: an open loop where
# each teacher records a sign about once a second (bench/signals-teachers.py), then wrk's
# closed loop that sends the next sign as soon as the last is answered (saturation).
# Usage: bench/signals-record.sh [sqlite|postgres] [SECONDS]   (defaults: sqlite 20)
#   postgres needs ERBIJ_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
#   whose user may create and drop a database.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
duration="${2:-20}"
teachers=50
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p erbij
erbij=./target/release/erbij
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log="$data/serve.log"
case "$backend" in
  sqlite) where=(--data-dir "$data") ;;
  postgres)
    server_url="${ERBIJ_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}"
    db="erbij_bench_signals_$$"
    psql -q "$server_url/postgres" -c "CREATE DATABASE $db"
    where=(--database-url "$server_url/$db") ;;
  *) echo "usage: $0 [sqlite|postgres] [SECONDS]" >&2; exit 2 ;;
esac
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [ "$backend" = postgres ]; then psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS $db" || true; fi
  rm -rf "$data"
}
"$erbij" serve --demo "${where[@]}" --listen "127.0.0.1:$port" >"$log" 2>/dev/null &
server=$!
trap cleanup EXIT
for _ in $(seq 200); do grep -q "erbij is running" "$log" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
admin_token=$("$erbij" token create --email beheer@devaart.example "${where[@]}" | tail -1)
api() { curl -s -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' "$@"; }
class=$(api "$base/api/v1/classes" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("classes", d) if isinstance(d, dict) else d; print(next(c["id"] for c in d if c["name"] == "2B"))')
pupils=$(api "$base/api/v1/classes/$class/pupils" | python3 -c 'import json,sys; print(",".join(str(p["id"]) for p in json.load(sys.stdin)))')
tokens=()
for i in $(seq "$teachers"); do
  email="docent$i@bench.example"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | "$erbij" user add --email "$email" --name "Docent $i" \
    --role teacher --school "OSG De Vaart (demo)" --password-stdin "${where[@]}" >/dev/null
  tokens+=("$("$erbij" token create --email "$email" "${where[@]}" | tail -1)")
  user_id=$(api "$base/api/v1/users" | python3 -c "import json,sys; print(next(u['id'] for u in json.load(sys.stdin) if u['email'] == '$email'))")
  api -o /dev/null -X POST -d "{\"user_id\": $user_id}" "$base/api/v1/classes/$class/teachers"
done
script="$data/record.lua"
{
  echo "local tokens = {"; printf '"%s",\n' "${tokens[@]}"; echo "}"
  echo "local pupils = {$pupils}"
  cat <<'LUA'
local kinds = {"alone_at_break", "chosen_last", "nickname", "absent_ill", "lingers", "removed_from_group", "ignored_in_group", "not_liked_unfollowed"}
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"kind": "%s", "note": "gezien bij de les, meting %d"}', kinds[n % #kinds + 1], n)
  return wrk.format("POST", "/api/v1/pupils/" .. pupils[n % #pupils + 1] .. "/signals",
    {["Authorization"] = "Bearer " .. tokens[n % #tokens + 1], ["Content-Type"] = "application/json"}, body)
end
local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d\n", summary.errors.status))
end
LUA
} >"$script"
check=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${tokens[0]}" -H 'Content-Type: application/json' \
  -d '{"kind":"lingers"}' "$base/api/v1/pupils/${pupils%%,*}/signals")
echo "backend: $backend; $teachers teachers assigned to 2B; first sign answered $check"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${tokens[@]}" >"$data/tokens"
# 1. Realistic: every teacher records a sign about once a second (open loop, 50 connections).
python3 bench/signals-teachers.py "$base" "$data/tokens" "$pupils" "$duration" 1
# 2. Saturation: every connection sends its next sign as soon as the last is answered.
echo "closed loop (wrk, as fast as the server answers):"
wrk -t2 -c"$teachers" -d"${duration}s" --latency -s "$script" "$base"
echo "signs now in 2B's first pupil's list: $(curl -s -H "Authorization: Bearer ${tokens[0]}" "$base/api/v1/pupils/${pupils%%,*}/signals" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
