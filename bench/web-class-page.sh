#!/usr/bin/env bash
# Load test: the class page of a class of 30 pupils under 50 concurrent users.
# Starts `erbij serve --demo` on a fresh SQLite data folder, logs in as the demo
# administrator, and runs wrk (Debian package `wrk`) against /classes/4 (class 4V, 30 pupils).
# Usage: bench/web-class-page.sh [SECONDS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p erbij
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log="$data/serve.log"
./target/release/erbij serve --demo --data-dir "$data" --listen "127.0.0.1:$port" >"$log" 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do grep -q "erbij is running" "$log" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
password=$(awk '$1 == "administrator" {print $3}' "$log")
jar="$data/cookies"
csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "email=beheer@devaart.example" --data-urlencode "password=$password" "$base/login"
session=$(awk '$6 == "erbij_session" {print $7}' "$jar")
pupils=$(curl -s -H "Cookie: erbij_session=$session" "$base/classes/4" | grep -c '<tr><td>' || true)
bytes=$(curl -s -H "Cookie: erbij_session=$session" "$base/classes/4" | wc -c)
echo "class page /classes/4: $pupils pupil rows, $bytes bytes"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
wrk -t2 -c50 -d"${duration}s" --latency -H "Cookie: erbij_session=$session" "$base/classes/4"
