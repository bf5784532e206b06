#!/usr/bin/env bash
# Detector benchmark: the whole analysis (reader + every detector) of a synthetic 100 MiB
# export. Prints the reader alone and reader + detectors in CPU seconds (one thread, so
# other work on the machine does not count), then the wall time and peak memory of
# `erbij analyze` (reader and detectors on two threads) in text and JSON.
#
#   bench/detect.sh                 # 100 MiB, Dutch Android
#   SIZE=1GiB bench/detect.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size="${SIZE:-100MiB}"
cargo build --release -q -p erbij
cargo build --release -q -p erbij-chat-gen --example erbij-chat-gen
cargo build --release -q -p erbij-eval --example erbij-eval
mkdir -p bench-data
file="bench-data/android-nl-$size.txt"
if [ ! -f "$file" ]; then
  ./target/release/examples/erbij-chat-gen write --size "$size" -o "$file"
fi
echo "== $file ($(stat -c %s "$file") bytes), roster bench/klas-bench.csv"
./target/release/examples/erbij-eval bench "$file" bench/klas-bench.csv
for format in text json; do
  /usr/bin/time -f "erbij analyze --format $format: %e s wall, %U s user, %S s sys, peak RSS %M KiB" \
    ./target/release/erbij analyze --roster bench/klas-bench.csv --format "$format" -o /dev/null "$file"
done
echo "== evaluation harness"
./target/release/examples/erbij-eval 320 2025 | head -12
