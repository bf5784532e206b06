#!/usr/bin/env bash
# Runs the peers on the same file as erbij, side by side: npm whatsapp-chat-parser and
# PyPI whatstk, installed by this script into a temporary folder (removed afterwards).
#
#   bench/peers.sh bench-data/android-nl-100MiB.txt
set -euo pipefail
cd "$(dirname "$0")/.."
file="$(realpath "${1:?usage: bench/peers.sh EXPORT.txt}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mib=$(awk "BEGIN { printf \"%.1f\", $(stat -c %s "$file") / 1048576 }")
echo "== $file ($mib MiB)"
cargo build --release -q -p erbij
timed() { /usr/bin/time -f "%e s wall, peak RSS %M KiB" "$@"; }

echo "-- erbij analyze"
timed ./target/release/erbij analyze --format json -o /dev/null "$file"

echo "-- npm whatsapp-chat-parser"
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund whatsapp-chat-parser >/dev/null)
cat >"$tmp/parse.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const parser = require("whatsapp-chat-parser");
const text = readFileSync(process.argv[2], "utf8");
const messages = parser.parseString(text);
console.log(`${messages.length} messages`);
JS
echo "version $(node -p "require('$tmp/node_modules/whatsapp-chat-parser/package.json').version")"
timed node --max-old-space-size=8192 "$tmp/parse.mjs" "$file"

if [ "${SKIP_WHATSTK:-0}" != 1 ]; then
  echo "-- PyPI whatstk"
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/pip" install -q whatstk
  echo "version $("$tmp/venv/bin/python" -c 'import whatstk; print(whatstk.__version__)')"
  timed "$tmp/venv/bin/python" -c '
import sys
from whatstk import df_from_whatsapp
df = df_from_whatsapp(sys.argv[1])
print(len(df), "messages")
' "$file"
fi
