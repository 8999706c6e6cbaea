#!/usr/bin/env bash
# micro.sh: BenchmarkDotNet micro-benchmarks of the DICOM core on one slice of the CT series that
# parse-throughput.sh uses (generated on first use). Arguments go to BenchmarkDotNet, e.g.
#
#   bench/micro.sh                                   every benchmark
#   bench/micro.sh --filter '*Parse*' --job short    a quick look
set -euo pipefail

root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd "$root"
BENCH_CACHE="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/radbridge-bench}"

peer=""
for d in "${BENCH_PEER:-}" "$root/../shared/bench-peer" "$root/../../shared/bench-peer"; do
    [[ -n "$d" && -f "$d/gen_study.py" ]] && { peer="$d"; break; }
done
ct="$BENCH_CACHE/ct-300-seed1"
if [[ ! -f "$ct/manifest.json" ]]; then
    [[ -n "$peer" ]] || { echo "micro.sh: gen_study.py not found; set BENCH_PEER to the bench-peer folder" >&2; exit 1; }
    mkdir -p "$BENCH_CACHE"
    /usr/bin/python3 "$peer/gen_study.py" ct --out "$ct" --slices 300 --seed 1 >&2
fi
export RADBRIDGE_BENCH_CT
RADBRIDGE_BENCH_CT="$(find "$ct" -name '*.dcm' | sort | sed -n 150p)"
[[ $# -gt 0 ]] || set -- --filter '*'
cd bench/RadBridge.Benchmarks
exec dotnet run -c Release --artifacts-path "$root/.build/bench/dotnet" -- "$@"
