#!/usr/bin/env bash
# C-ECHO and C-STORE: `radbridge scp` against Orthanc (Debian's package, TCP_NODELAY=1, SyncStorageArea true), both
# measured by the shared harness's client (../shared/bench-peer/client_bench.py: DCMTK echoscu/storescu with
# TCP_NODELAY=1) on the same generated 300-slice CT, both servers fsyncing every instance, both inside the harness's
# loopback-only network namespace. Writes bench/results/dimse.md (+ the raw JSON beside it).
#
#   bench/dimse-vs-orthanc.sh            RUNS=3 by default (median of 3 fresh studies per phase)
#
# env: BENCH_PEER (default ../shared/bench-peer beside the repo), RUNS, BENCH_DATA, PHASES (echo,cstore1,cstore4)
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
BENCH_PEER="${BENCH_PEER:-$(cd "$root/.." && pwd)/shared/bench-peer}"
[ -f "$BENCH_PEER/client_bench.py" ] || BENCH_PEER=/work/shared/bench-peer
. "$BENCH_PEER/common.sh"
PHASES="${PHASES:-echo,cstore1,cstore4}"
OUT="$root/bench/results"
TMP="$(mktemp -d /tmp/rb-dimse-bench.XXXXXX)"
mkdir -p "$OUT"

ORTHANC_WORKDIR=""
SCP_PID=""
cleanup() {
  [ -n "$SCP_PID" ] && kill "$SCP_PID" 2>/dev/null || true
  [ -n "$ORTHANC_WORKDIR" ] && "$BENCH_PEER/orthanc/stop.sh" "$ORTHANC_WORKDIR" --purge >/dev/null 2>&1 || true
  netns_down >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

log "building the CLI"
dotnet build "$root/src/RadBridge.Cli" -c Release -v q -nologo >/dev/null
DLL="$root/src/RadBridge.Cli/bin/Release/net10.0/radbridge.dll"
netns_up

# --- Orthanc (tuned: TCP_NODELAY=1 as the harness does; SyncStorageArea true in its template) ---------
log "Orthanc"
ORTHANC_WORKDIR="$(TCP_NODELAY=1 HTTP_PORT=18042 DICOM_PORT=14242 CALLED_AET=ORTHANC "$BENCH_PEER/orthanc/start.sh")"
TARGET_NAME=orthanc DICOM_PORT=14242 CALLED_AET=ORTHANC DICOMWEB_BASE=http://127.0.0.1:18042/dicom-web \
  in_ns "$PY" "$BENCH_PEER/client_bench.py" --phases "$PHASES" --out "$OUT/dimse-orthanc.json"
"$BENCH_PEER/orthanc/stop.sh" "$ORTHANC_WORKDIR" --purge >/dev/null 2>&1 || true
ORTHANC_WORKDIR=""

# --- radbridge scp (fsync of every file before its rename, see StorageScp) ----------------------------
log "radbridge scp"
in_ns dotnet "$DLL" scp --port 11112 --aet RADBRIDGE --out "$TMP/store" >"$TMP/scp.log" 2>&1 &
SCP_PID=$!
for _ in $(seq 1 100); do grep -q '^listening' "$TMP/scp.log" 2>/dev/null && break; sleep 0.2; done
grep -q '^listening' "$TMP/scp.log" || { cat "$TMP/scp.log" >&2; die "radbridge scp did not start"; }
SCP_OUT="$TMP/store" TARGET_NAME=radbridge DICOM_PORT=11112 CALLED_AET=RADBRIDGE BENCH_DIR="$BENCH_PEER" \
  in_ns "$PY" "$root/bench/dimse_bench_ours.py" --phases "$PHASES" --out "$OUT/dimse-radbridge.json"
kill "$SCP_PID"; wait "$SCP_PID" 2>/dev/null || true; SCP_PID=""

# --- report ----------------------------------------------------------------------------------------------
"$PY" - "$OUT/dimse-orthanc.json" "$OUT/dimse-radbridge.json" "$OUT/dimse.md" <<'PYEOF'
import json, os, platform, subprocess, sys
o, r = (json.load(open(p))["results"] for p in sys.argv[1:3])
rows = []
def ingest(key, label):
    if key in o and key in r:
        a, b = o[key]["median_inst_per_s"], r[key]["median_inst_per_s"]
        rows.append(f"| {label} | {a:.0f} inst/s ({o[key]['median_s']:.2f} s) | {b:.0f} inst/s ({r[key]['median_s']:.2f} s) | **{b / a:.2f}x** |")
if "cecho_ms" in o and "cecho_ms" in r:
    a, b = o["cecho_ms"]["median_ms"], r["cecho_ms"]["median_ms"]
    rows.append(f"| C-ECHO in association (median) | {a:.3f} ms | {b:.3f} ms | {a / b:.2f}x faster |" if b > 0 else
                f"| C-ECHO in association (median) | {a:.3f} ms | {b:.3f} ms | |")
    rows.append(f"| echoscu process incl. association (median) | {o['cecho_ms']['process_median_ms']:.1f} ms | {r['cecho_ms']['process_median_ms']:.1f} ms | |")
ingest("cstore_1assoc", "C-STORE 300-slice CT, 1 association")
ingest("cstore_4parallel", "C-STORE 300-slice CT, 4 associations")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
runs = json.load(open(sys.argv[1]))["params"]["runs"]
with open(sys.argv[3], "w") as f:
    f.write("# DIMSE: radbridge scp vs Orthanc\n\n")
    f.write(f"`bench/dimse-vs-orthanc.sh`, {os.cpu_count()} cores ({cpu}), {platform.release()}; "
            f"{subprocess.run(['/usr/sbin/Orthanc', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}. "
            f"Client: the shared harness's client_bench.py (DCMTK echoscu/storescu, TCP_NODELAY=1), median of {runs} runs, "
            "each on a fresh never-seen 300-slice 512x512 CT (~157 MB). Both servers fsync every instance (Orthanc "
            "SyncStorageArea true, TCP_NODELAY=1; radbridge: temp file, fsync, rename) and share the 2 cores with the client.\n\n")
    f.write("| measure | Orthanc | radbridge scp | ratio |\n|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print(open(sys.argv[3]).read())
PYEOF
