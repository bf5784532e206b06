#!/usr/bin/env bash
# Reading Instagram/TikTok downloads: time and peak memory of `erbij analyze` on synthetic
# inputs (fictional names only), written to a temporary folder. Figures go in BENCHMARKS.md.
# Usage: crates/social/bench/run.sh   (from the repository root; needs python3 and GNU time)
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build --release -p erbij
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$out" <<'PY'
import json, os, sys, zipfile
out = sys.argv[1]
T = 1756713600
# A heavy TikTok user: mostly watch history (skipped while parsing), 5 000 followers.
hist = [{"Date": f"2025-09-{1 + i % 28:02d} 12:{i % 60:02d}:00",
         "Link": f"https://www.tiktokv.com/share/video/{7000000000000000000 + i}/"} for i in range(460000)]
fans = [{"Date": f"2025-0{1 + i % 9}-{1 + i % 28:02d} 10:00:00", "UserName": f"fan_{i}"} for i in range(5000)]
following = [{"Date": "2025-09-01 09:05:00", "UserName": f"idol_{i}"} for i in range(800)]
doc = {"Activity": {"Video Browsing History": {"VideoList": hist}, "Follower List": {"FansList": fans},
                    "Following List": {"Following": following}},
       "Profile": {"Profile Information": {"ProfileMap": {"userName": "milaaa"}}}}
open(f"{out}/user_data.json", "w").write(json.dumps(doc, indent=2))
# Worst case: nothing but 1.2 million followers, just under the 64 MiB limit.
fans = [{"Date": "2025-09-01 10:00:00", "UserName": f"f{i}"} for i in range(1200000)]
open(f"{out}/fans_heavy.json", "w").write(json.dumps({"Activity": {"Follower List": {"FansList": fans}}},
                                                     separators=(",", ":")))
# An Instagram zip: 10 000 followers over two pages, 1 000 following, 2 000 photos.
def item(n, i):
    return {"title": "", "media_list_data": [],
            "string_list_data": [{"href": f"https://www.instagram.com/{n}", "value": n, "timestamp": T - i}]}
with zipfile.ZipFile(f"{out}/instagram.zip", "w", zipfile.ZIP_DEFLATED) as z:
    d = "connections/followers_and_following"
    z.writestr(f"{d}/followers_1.json", json.dumps([item(f"volger_{i}", i) for i in range(5000)], indent=2))
    z.writestr(f"{d}/followers_2.json", json.dumps([item(f"volger_{i}", i) for i in range(5000, 10000)], indent=2))
    z.writestr(f"{d}/following.json", json.dumps({"relationships_following": [
        {"title": f"volgt_{i}", "string_list_data": [{"href": f"https://www.instagram.com/_u/volgt_{i}", "timestamp": T - i}]}
        for i in range(1000)]}, indent=2))
    for i in range(2000):
        z.writestr(f"media/posts/202509/foto_{i}.jpg", os.urandom(2000))
# Refused inputs: a 200 MB JSON file (sparse) and a zip holding a 200 MiB followers page.
with open(f"{out}/huge.json", "wb") as f:
    f.write(b'{"Activity": ')
    f.truncate(200 * 1024 * 1024)
with zipfile.ZipFile(f"{out}/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("connections/followers_and_following/followers_1.json", "w", force_zip64=True) as f:
        f.write(b"[")
        for _ in range(200):
            f.write(b" " * (1 << 20))
        f.write(b"]")
PY
for input in user_data.json instagram.zip fans_heavy.json huge.json bomb.zip; do
  for run in 1 2 3; do
    /usr/bin/time -f "$input run $run: %e s, %M KiB max RSS" \
      target/release/erbij analyze --format json -o /dev/null "$out/$input" 2>&1 >/dev/null \
      | grep "max RSS" || true
  done
done
