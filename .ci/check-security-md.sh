#!/usr/bin/env bash
# Checks docs/SECURITY.md: every test it names (`crate/tests/x.rs::name` or
# `crate/src/file.rs::name`) is a #[test] fn in that file; prints the count of ASVS
# requirements per status (a row "V10.3.1–V10.3.4" counts as four).
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/SECURITY.md
missing=0
while read -r ref; do
  file="crates/${ref%%::*}"
  name="${ref##*::}"
  if [[ ! -f "$file" ]] || ! grep -Eq "^\s*(async )?fn ${name}\(" "$file"; then
    echo "missing: $ref"
    missing=$((missing + 1))
  elif ! grep -B3 -E "^\s*(async )?fn ${name}\(" "$file" | grep -Eq '#\[(tokio::)?test'; then
    echo "not a test: $ref"
    missing=$((missing + 1))
  fi
done < <(grep -oE '`[a-z_-]+/(tests|src)/[a-z_/]+\.rs::[a-z0-9_]+`' "$doc" | tr -d '`' | sort -u)
python3 - "$doc" <<'PY'
import re, sys
counts = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\| (V\d+\.\d+\.\d+)(?:–V\d+\.\d+\.(\d+))? \| [^|]+ \| (met|n/a|open) \|", line)
    if not m:
        continue
    first = int(m.group(1).rsplit(".", 1)[1])
    n = int(m.group(2)) - first + 1 if m.group(2) else 1
    counts[m.group(3)] = counts.get(m.group(3), 0) + n
print("SECURITY.md:", " ".join(f"{k} {counts.get(k, 0)}" for k in ("met", "n/a", "open")),
      "total", sum(counts.values()))
PY
if [[ $missing -gt 0 ]]; then
  echo "$missing test reference(s) in docs/SECURITY.md do not exist" >&2
  exit 1
fi
