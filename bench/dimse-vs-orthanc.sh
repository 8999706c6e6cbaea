#!/usr/bin/env bash
# C-ECHO and C-STORE: `radbridge scp` against Orthanc (Debian's package, TCP_NODELAY=1, SyncStorageArea true), both
# measured by the shared harness's client (../shared/bench-peer/client_bench.py: DCMTK echoscu/storescu with
# TCP_NODELAY=1) on the same generated 300-slice CT, both servers fsyncing every instance, both inside the harness's
# loopback-only network namespace. Writes bench/results/dimse.md (+ the raw JSON beside it).
#
#   bench/dimse-vs-orthanc.sh            RUNS=3 by default (median of 3 fresh studies per phase)
#
# Needs root (network namespace), Debian's orthanc and orthanc-dicomweb (the harness checks Orthanc's ingest by QIDO),
# dcmtk, python3-pydicom, python3-numpy.
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
# Not through the in_ns function: `ip netns exec` execs dotnet, so $! is the SCP itself and the kill below reaches it.
if [ -n "$BENCH_NETNS" ]; then
  ip netns exec "$BENCH_NETNS" dotnet "$DLL" scp --port 11112 --aet RADBRIDGE --out "$TMP/store" >"$TMP/scp.log" 2>&1 &
else
  dotnet "$DLL" scp --port 11112 --aet RADBRIDGE --out "$TMP/store" >"$TMP/scp.log" 2>&1 &
fi
SCP_PID=$!
for _ in $(seq 1 100); do grep -q '^listening' "$TMP/scp.log" 2>/dev/null && break; sleep 0.2; done
grep -q '^listening' "$TMP/scp.log" || { cat "$TMP/scp.log" >&2; die "radbridge scp did not start"; }
SCP_OUT="$TMP/store" TARGET_NAME=radbridge DICOM_PORT=11112 CALLED_AET=RADBRIDGE BENCH_DIR="$BENCH_PEER" \
  in_ns "$PY" "$root/bench/dimse_bench_ours.py" --phases "$PHASES" --out "$OUT/dimse-radbridge.json"
kill "$SCP_PID"; wait "$SCP_PID" 2>/dev/null || true; SCP_PID=""

# --- report ----------------------------------------------------------------------------------------------
"$PY" "$root/bench/dimse_report.py" "$OUT/dimse-orthanc.json" "$OUT/dimse-radbridge.json" "$OUT/dimse.md"
