#!/usr/bin/env bash
# Benchmarks of whole commands on the example project: median of several
# runs (hyperfine) and peak memory (/usr/bin/time). Figures are reported,
# never asserted. Usage: bash benches/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/orepress
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r content "$work/"
python3 - "$work/r100.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name,organisation\n")
    for i in range(1, 101):
        f.write(f"Investor {i},Example Capital {i}\n")
PY
echo "== whole build, site only, memos only"
hyperfine --warmup 2 --runs 15 --style basic --export-json "$work/build.json" \
  "$bin build --root $work --quiet" \
  "$bin build --root $work --quiet --site-only" \
  "$bin build --root $work --quiet --pdf-only" \
  "$bin build --root $work --quiet --jobs 1"
echo "== 100 personalised copies"
hyperfine --warmup 1 --runs 7 --style basic --export-json "$work/copies.json" "$bin copies antimony-opportunity --root $work --recipients $work/r100.csv"
echo "== medians"
python3 - "$work/build.json" "$work/copies.json" <<'PY'
import json, statistics, sys
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        cmd = " ".join(w for w in r["command"].split() if not w.startswith("/"))
        print(f"{cmd:<70} median {statistics.median(r['times']) * 1000:7.1f} ms"
              f"  user {r['user'] * 1000:7.1f} ms")
PY
echo "== peak memory (max RSS)"
for args in "build --root $work --quiet" "copies antimony-opportunity --root $work --recipients $work/r100.csv"; do
  /usr/bin/time -v $bin $args 2>&1 >/dev/null | awk -v a="$args" '/Maximum resident/ { printf "%-60s %6.1f MB\n", a, $6/1024 }'
done
echo "== in-process timings"
cargo run --release --quiet --example memo_timing
