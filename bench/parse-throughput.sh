#!/usr/bin/env bash
# parse-throughput.sh: parse throughput of RadBridge against pydicom and DCMTK on the same 300-slice 512x512 CT series,
# and the peak memory of reading the header of a file with 3 GiB of pixel data. Writes bench/results/parse-throughput.md.
#
#   bench/parse-throughput.sh                 3 rounds x 5 passes per tool and mode
#   ROUNDS=5 REPS=7 bench/parse-throughput.sh
#
# Environment: ROUNDS, REPS, WARMUP (seconds), SLICES (300), BENCH_CACHE (generated data; default ~/.cache/radbridge-bench),
# BENCH_PEER (folder with gen_study.py; default ../shared/bench-peer beside the repository), OUT (report path).
# Needs the .NET SDK, g++ with libdcmtk-dev, and Debian's python3-pydicom + python3-numpy (./test.sh installs them).
set -euo pipefail

root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd "$root"

ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-2}" # seconds of untimed passes before each tool's timed passes
REPS="${REPS:-5}"
SLICES="${SLICES:-300}"
BENCH_CACHE="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/radbridge-bench}"
OUT="${OUT:-$root/bench/results/parse-throughput.md}"
PY=/usr/bin/python3 # Debian's python with python3-pydicom (a pyenv python3 earlier on PATH lacks it)

find_peer() {
    local d
    for d in "${BENCH_PEER:-}" "$root/../shared/bench-peer" "$root/../../shared/bench-peer"; do
        [[ -n "$d" && -f "$d/gen_study.py" ]] && { (cd "$d" && pwd -P); return; }
    done
    echo "parse-throughput.sh: gen_study.py not found; set BENCH_PEER to the bench-peer folder" >&2
    exit 1
}

step() { printf '==> %s\n' "$*" >&2; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
peer="$(find_peer)"
build="$root/.build/bench"
mkdir -p "$BENCH_CACHE" "$build" "$(dirname "$OUT")"

# --- inputs ---------------------------------------------------------------------------------------------------

ct="$BENCH_CACHE/ct-$SLICES-seed1"
if [[ ! -f "$ct/manifest.json" ]]; then
    step "generating $SLICES CT slices into $ct"
    rm -rf -- "$ct"
    "$PY" "$peer/gen_study.py" ct --out "$ct" --slices "$SLICES" --seed 1 >&2
fi
mapfile -t files < <(find "$ct" -name '*.dcm' | sort)
[[ ${#files[@]} -eq $SLICES ]] || { echo "parse-throughput.sh: expected $SLICES files in $ct, found ${#files[@]}" >&2; exit 1; }

big="$BENCH_CACHE/ct-3gib-pixels.dcm"
if [[ ! -f "$big" ]]; then
    step "writing the sparse 3 GiB-pixel file $big"
    "$PY" bench/make_big_header.py "$big" >&2
fi

# --- tools ----------------------------------------------------------------------------------------------------

step "building radbridge-parsebench (Release)"
dotnet build bench/RadBridge.ParseBench/RadBridge.ParseBench.csproj -c Release --artifacts-path "$build/dotnet" -v quiet -nologo >&2
radbridge="$build/dotnet/bin/RadBridge.ParseBench/release/radbridge-parsebench"

dcmtk="$build/parse_dcmtk"
if [[ ! -x "$dcmtk" || bench/parse_dcmtk.cpp -nt "$dcmtk" ]]; then
    step "building parse_dcmtk (g++ -O2, libdcmtk-dev)"
    g++ -O2 -std=c++17 bench/parse_dcmtk.cpp -o "$dcmtk" -ldcmdata -loflog -lofstd
fi

# --- runs -----------------------------------------------------------------------------------------------------

results="$build/parse-throughput.jsonl"
: >"$results"
sync
cat "${files[@]}" >/dev/null # warm page cache for every tool alike

run() { "$@" | tee -a "$results" >&2; }

for round in $(seq 1 "$ROUNDS"); do
    for mode in header lazy full; do
        step "round $round/$ROUNDS, $mode"
        run "$radbridge" throughput --mode "$mode" --reps "$REPS" --warmup-seconds "$WARMUP" "$ct"
        run "$PY" bench/parse_pydicom.py throughput --mode "$mode" --reps "$REPS" --warmup-seconds "$WARMUP" "$ct"
        run "$dcmtk" throughput --mode "$mode" --reps "$REPS" --warmup-seconds "$WARMUP" "${files[@]}"
    done
done

step "peak memory: header of $big"
run "$radbridge" baseline-rss
run "$radbridge" header-rss "$big"
run "$radbridge" header-rss --stop-before-pixels "$big"
run "$PY" bench/parse_pydicom.py baseline-rss
run "$PY" bench/parse_pydicom.py header-rss "$big"
run "$dcmtk" baseline-rss
run "$dcmtk" header-rss "$big"

# --- report ---------------------------------------------------------------------------------------------------

machine="$build/machine.json"
"$PY" - "$machine" "$ROUNDS" "$REPS" "$WARMUP" <<'PYEOF'
import json, os, platform, subprocess, sys, datetime
import pydicom
def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
cpu = "?"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
with open("/proc/meminfo") as f:
    mem_kib = int(f.readline().split()[1])
dcmtk = sh("dpkg-query", "-W", "-f=${Version}", "libdcmtk-dev")
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "cpus": os.cpu_count(), "cpu": cpu, "memory": f"{mem_kib / 2**20:.0f} GiB RAM", "kernel": platform.release(),
    "dotnet": sh("dotnet", "--version"), "pydicom": pydicom.__version__, "python": platform.python_version(),
    "dcmtk": dcmtk, "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()), "rounds": int(sys.argv[2]), "reps": int(sys.argv[3]), "warmup": float(sys.argv[4]),
}, open(sys.argv[1], "w"))
PYEOF
"$PY" bench/parse_report.py "$results" "$machine" >"$OUT"
step "wrote $OUT"
cat "$OUT"
