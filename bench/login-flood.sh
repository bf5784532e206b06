#!/usr/bin/env bash
# Load test: a logged-in teacher's class page while 50 unauthenticated clients flood the
# login form (issue 14, item 2).
# Starts `erbij serve --demo` (release build) on a fresh SQLite data folder or a fresh
# PostgreSQL database, adds 50 flood accounts with one known password, logs in the demo
# mentor of 2B and measures `/classes/{2B}` with wrk (2 connections, ~10 ms pause between
# requests: a teacher's browser, not a load of its own):
#   1. without a flood;
#   2. during a flood: wrk with 50 connections posting correct logins (form body with the
#      double-submit CSRF token and cookie the login form hands out) as fast as the server
#      answers, all from 127.0.0.1.
# Twice: first with the default per-address login limit (60 a minute: the flood mostly
# meets the limiter), then with ERBIJ_LOGIN_PER_MINUTE=0 (no limit: every login reaches the
# bounded hashing pool, which answers 429 when its queue is full).
# Prints per phase the class page's median/p90/p99, the flood's answers by status (303 =
# logged in, 429 = refused by the limiter or the full pool) and the server's peak RSS
# (VmHWM).
# Usage: bench/login-flood.sh [sqlite|postgres] [SECONDS]   (defaults: sqlite 30)
#   postgres needs ERBIJ_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
#   whose user may create and drop a database. MODES="limited unlimited" picks the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
duration="${2:-30}"
modes="${MODES:-limited unlimited}"
clients=50
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p erbij
erbij=./target/release/erbij
work=$(mktemp -d)
server=""
db=""
server_url="${ERBIJ_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}"
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
  if [ -n "$db" ]; then psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS $db" || true; fi
  db=""
}
trap 'stop_server; rm -rf "$work"' EXIT

# The class page: two connections, a pause between requests (wrk's delay hook).
cat >"$work/page.lua" <<'LUA'
request = function() return wrk.format("GET") end
delay = function() return 10 end
LUA

# The flood: correct logins for flood1..flood50, counted by status.
flood_lua() {
  local token="$1" password="$2"
  cat <<LUA
local token = "$token"
local password = "$password"
local clients = $clients
LUA
  cat <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  n = 0
  s303, s429, s401, other = 0, 0, 0, 0
end
function request()
  n = n + 1
  local body = "csrf=" .. token .. "&email=flood" .. (n % clients + 1) .. "%40bench.example&password=" .. password
  return wrk.format("POST", "/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "erbij_csrf=" .. token,
  }, body)
end
function response(status, headers, body)
  if status == 303 then s303 = s303 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status == 401 then s401 = s401 + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c, d = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("s303"); b = b + t:get("s429"); c = c + t:get("s401"); d = d + t:get("other")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("flood answers: %d in %.1f s; 303 (logged in) %d = %.1f/s; 429 %d = %.1f/s; 401 %d; other %d\n",
    summary.requests, secs, a, a / secs, b, b / secs, c, d))
end
LUA
}

# wrk --latency output -> "median p90 p99 req/s"
page_figures() {
  awk '/^ +50%/ {m=$2} /^ +90%/ {n=$2} /^ +99%/ {p=$2} /^Requests\/sec/ {r=$2} /Non-2xx/ {e=$NF}
       END {printf "class page: median %s, p90 %s, p99 %s, %s req/s, non-2xx %s\n", m, n, p, r, (e == "" ? 0 : e)}' "$1"
}

run_mode() {
  local mode="$1" limit
  case "$mode" in
    limited) limit="" ;;
    unlimited) limit=0 ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  local data="$work/$mode"
  mkdir -p "$data"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local where
  case "$backend" in
    sqlite) where=(--data-dir "$data/db") ;;
    postgres)
      db="erbij_bench_flood_$$_$mode"
      psql -q "$server_url/postgres" -c "CREATE DATABASE $db"
      where=(--database-url "$server_url/$db") ;;
    *) echo "usage: $0 [sqlite|postgres] [SECONDS]" >&2; exit 2 ;;
  esac
  local log="$data/serve.log"
  ERBIJ_LOGIN_PER_MINUTE="$limit" "$erbij" serve --demo "${where[@]}" --listen "127.0.0.1:$port" >"$log" 2>"$data/serve.err" &
  server=$!
  for _ in $(seq 300); do grep -q "erbij is running" "$log" 2>/dev/null && break; sleep 0.1; done
  local base="http://127.0.0.1:$port"
  local password
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  for i in $(seq "$clients"); do
    printf '%s' "$password" | "$erbij" user add --email "flood$i@bench.example" --name "Flood $i" \
      --role teacher --school "OSG De Vaart (demo)" --password-stdin "${where[@]}" >/dev/null
  done
  # The mentor of 2B logs in as a browser does.
  local mentor_password jar="$data/cookies"
  mentor_password=$(awk '$2 == "mentor.2b@devaart.example" {print $3}' "$log")
  local csrf
  csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "email=mentor.2b@devaart.example" --data-urlencode "password=$mentor_password" "$base/login"
  local session class
  session=$(awk '$6 == "erbij_session" {print $7}' "$jar")
  class=$(curl -s -H "Cookie: erbij_session=$session" "$base/classes" | grep -o 'href="/classes/[0-9]*"' | head -1 | grep -o '[0-9]*')
  local page_status bytes
  page_status=$(curl -s -o "$data/page.html" -w '%{http_code}' -H "Cookie: erbij_session=$session" "$base/classes/$class")
  bytes=$(wc -c <"$data/page.html")
  # The flood's token: fetched once from the login form, as an attacker's script would.
  local token
  token=$(curl -s -c "$data/flood-jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  flood_lua "$token" "$password" >"$work/flood.lua"
  local check
  check=$(curl -s -o /dev/null -w '%{http_code}' -b "erbij_csrf=$token" --data "csrf=$token&email=flood1%40bench.example&password=$password" "$base/login")
  echo "== $backend, login limit per address: ${limit:-default (60/min)}; class page /classes/$class answered $page_status ($bytes bytes); a flood login answered $check"
  echo "   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "-- no flood (${duration} s)"
  wrk -t1 -c2 -d"${duration}s" --latency -s "$work/page.lua" -H "Cookie: erbij_session=$session" "$base/classes/$class" >"$data/quiet.txt"
  echo "   $(page_figures "$data/quiet.txt")"
  echo "-- flood: $clients connections posting logins (${duration} s); load $(cut -d' ' -f1-3 /proc/loadavg)"
  wrk -t1 -c"$clients" -d"${duration}s" -s "$work/flood.lua" "$base" >"$data/flood.txt" &
  local flood=$!
  sleep 1
  wrk -t1 -c2 -d"$((duration - 2))s" --latency -s "$work/page.lua" -H "Cookie: erbij_session=$session" "$base/classes/$class" >"$data/page.txt"
  wait "$flood"
  echo "   $(page_figures "$data/page.txt")"
  echo "   $(grep 'flood answers' "$data/flood.txt")"
  echo "   flood latency: $(awk '/Latency/ {print "mean", $2, "max", $4}' "$data/flood.txt")"
  echo "   server peak RSS (VmHWM): $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$server/status); now $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$server/status)"
  echo "   refusals logged: busy pool $(grep -c 'queue is full' "$data/serve.err" "$log" 2>/dev/null | awk -F: '{s+=$NF} END {print s}')"
  echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_server
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uptime)"
for mode in $modes; do run_mode "$mode"; done
