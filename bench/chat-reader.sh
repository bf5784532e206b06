#!/usr/bin/env bash
# Chat reader benchmark: writes synthetic exports into bench-data/ (gitignored), times the
# reader alone (both passes, pinned to one core) and measures the peak memory of
# `erbij analyze` on the same files.
#
#   bench/chat-reader.sh                 # 1, 10 and 100 MiB, Dutch Android
#   SIZES="1GiB" bench/chat-reader.sh    # any sizes (1MiB .. 1GiB)
#   FORMATS="android-nl ios-nl android-en-12 ios-en-12" bench/chat-reader.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${SIZES:-1MiB 10MiB 100MiB}"
formats="${FORMATS:-android-nl}"
cargo build --release -q -p erbij -p erbij-chat-gen
mkdir -p bench-data
pin=""
if command -v taskset >/dev/null; then pin="taskset -c 0"; fi
for format in $formats; do
  IFS=- read -r variant lang clock <<<"$format"
  for size in $sizes; do
    file="bench-data/$format-$size.txt"
    if [ ! -f "$file" ]; then
      ./target/release/erbij-chat-gen write --size "$size" --variant "$variant" --lang "$lang" \
        --clock "${clock:-24}" -o "$file"
    fi
    echo "== $file ($(stat -c %s "$file") bytes)"
    $pin ./target/release/erbij-chat-gen bench "$file" --repeat "${REPEAT:-5}" | tail -1
    /usr/bin/time -f "erbij analyze: %e s wall, %U s user, peak RSS %M KiB" \
      ./target/release/erbij analyze --format json -o /dev/null "$file"
  done
done
