#!/usr/bin/env bash
# The archive server against Orthanc: `./radbridge serve` and Debian's Orthanc 1.10 + DICOMweb plugin, each started
# empty inside the harness's loopback-only network namespace and measured by the same client
# (../shared/bench-peer/client_bench.py, all phases: echo, cstore1, cstore4, stow1, stow4, fill, qido, cfind, wado)
# on the same generated data, both making every instance durable before acknowledging it (RadBridge: one syncfs
# barrier per group commit; the harness's Orthanc config has SyncStorageArea true, an fsync per file). Then report.py's side-by-side table and the issue's goals as a verdict table.
#
#   bench/archive-vs-orthanc.sh          → bench/results/<stamp>/{report.md,orthanc.json,radbridge.json,…}
#
# RadBridge gets a fresh data dir, no demo partnership, one organisation with the harness's calling AE (BENCHSCU)
# registered and a technologist (may read and store) for DICOMweb Basic authentication, all through the admin CLI.
#
# Needs root (network namespace), Debian's orthanc orthanc-dicomweb dcmtk python3-pydicom python3-numpy curl iproute2.
# env: BENCH_PEER (default ../shared/bench-peer beside the repo), RUNS (3), BENCH_DATA, PHASES (all),
#      SKIP_ORTHANC=1 (RadBridge only; no verdict), SKIP_RADBRIDGE=1, OUTDIR, RB_HTTP_PORT (8042), RB_DICOM_PORT (11112)
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
BENCH_PEER="${BENCH_PEER:-$root/../shared/bench-peer}"
[ -f "$BENCH_PEER/client_bench.py" ] || { echo "archive-vs-orthanc: no harness at $BENCH_PEER (set BENCH_PEER)" >&2; exit 1; }
BENCH_PEER="$(cd "$BENCH_PEER" && pwd -P)"
# shellcheck source=/dev/null
. "$BENCH_PEER/common.sh"

PHASES="${PHASES:-echo,cstore1,cstore4,stow1,stow4,fill,qido,cfind,wado}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUTDIR="${OUTDIR:-$root/bench/results/$STAMP}"
RB_HTTP_PORT="${RB_HTTP_PORT:-8042}"
RB_DICOM_PORT="${RB_DICOM_PORT:-11112}"
RB_AET=RADBRIDGE
RB_ORG="Bench Clinic"
RB_USER=bench
mkdir -p "$OUTDIR" "$BENCH_DATA"

ORTHANC_WORKDIR=""
RB_PID=""
RB_DATA=""
CLIENT_DIR=""
cleanup() {
  if [ -n "$RB_PID" ]; then
    kill -TERM "$RB_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$RB_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$RB_PID" 2>/dev/null || true
  fi
  [ -n "$ORTHANC_WORKDIR" ] && "$BENCH_PEER/orthanc/stop.sh" "$ORTHANC_WORKDIR" --purge >/dev/null 2>&1 || true
  [ -n "$RB_DATA" ] && rm -rf -- "$RB_DATA"
  [ -n "$CLIENT_DIR" ] && rm -rf -- "$CLIENT_DIR"
  netns_down >/dev/null 2>&1 || true   # only a namespace this harness created, and only when nothing runs in it
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

{
  echo "date: $(date -u -Is)"
  echo "host: $(uname -srm), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "radbridge: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo ' (modified)')"
  echo "dotnet: $(dotnet --version)"
  /usr/sbin/Orthanc --version 2>/dev/null | head -1 || true
  echo "orthanc: $(dpkg-query -W -f='${Version}' orthanc 2>/dev/null), orthanc-dicomweb: $(dpkg-query -W -f='${Version}' orthanc-dicomweb 2>/dev/null)"
  echo "dcmtk: $(dpkg-query -W -f='${Version}' dcmtk 2>/dev/null)"
  echo "phases: $PHASES, RUNS=$RUNS"
} > "$OUTDIR/versions.txt"
cat "$OUTDIR/versions.txt" >&2

# The harness's WADO-RS series retrieve sends its request on a raw connection, without the Authorization header every
# other request gets (DICOMWEB_USER): against a server that requires authentication it fails with 401. Run a copy of the
# client (beside gen_study.py, which it runs) with that one header added; everything else is the harness unchanged.
CLIENT_DIR="$(mktemp -d /tmp/rb-bench-client.XXXXXX)"
cp "$BENCH_PEER/client_bench.py" "$BENCH_PEER/gen_study.py" "$CLIENT_DIR/"
"$PY" - "$CLIENT_DIR/client_bench.py" <<'PATCH'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = 'c.request("GET", dw.prefix + "/" + path, headers={"Accept": accept})'
new = 'c.request("GET", dw.prefix + "/" + path, headers=dict({"Accept": accept}, **({"Authorization": AUTH} if AUTH else {})))'
if old in s:
    s = s.replace(old, new)
    open(p, "w", encoding="utf-8").write(s)
    print("client_bench.py: Authorization header added to the WADO-RS series retrieve", file=sys.stderr)
PATCH
CLIENT="$CLIENT_DIR/client_bench.py"

log "building the CLI (once; the server then runs with RADBRIDGE_NO_BUILD=1)"
# MSBuild reads environment variables as properties, and OUTDIR (the harness's name) is MSBuild's OutDir: drop it.
env -u OUTDIR "$root/radbridge" --help >/dev/null
export RADBRIDGE_NO_BUILD=1
netns_up

# --- Orthanc (tuned peer: TCP_NODELAY=1 so DCMTK inside it disables Nagle) -------------------------------
if [ "${SKIP_ORTHANC:-0}" != 1 ]; then
  log "Orthanc"
  ORTHANC_WORKDIR="$(TCP_NODELAY=1 HTTP_PORT=18042 DICOM_PORT=14242 CALLED_AET=ORTHANC "$BENCH_PEER/orthanc/start.sh")"
  cp "$ORTHANC_WORKDIR/config.json" "$OUTDIR/orthanc-config.json"
  TARGET_NAME=orthanc DICOM_PORT=14242 CALLED_AET=ORTHANC DICOMWEB_BASE=http://127.0.0.1:18042/dicom-web \
    in_ns "$PY" "$CLIENT" --target-name orthanc --phases "$PHASES" --out "$OUTDIR/orthanc.json"
  cp "$ORTHANC_WORKDIR/orthanc.log" "$OUTDIR/orthanc.log" 2>/dev/null || true
  "$BENCH_PEER/orthanc/stop.sh" "$ORTHANC_WORKDIR" --purge >/dev/null 2>&1 || true
  ORTHANC_WORKDIR=""
fi

# --- RadBridge ---------------------------------------------------------------------------------------------
if [ "${SKIP_RADBRIDGE:-0}" != 1 ]; then
  log "RadBridge"
  RB_DATA="$(mktemp -d /tmp/rb-archive-bench.XXXXXX)"
  RB_PASSWORD="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-9"
  "$root/radbridge" admin org add --data "$RB_DATA" --name "$RB_ORG"
  printf '%s\n' "$RB_PASSWORD" | "$root/radbridge" admin user add --data "$RB_DATA" --org "$RB_ORG" --role technologist \
    --user "$RB_USER" --password-stdin
  "$root/radbridge" admin ae add --data "$RB_DATA" --org "$RB_ORG" --aet "$CALLING_AET"
  # `ip netns exec` execs dotnet, so $! is the server itself and the TERM in cleanup reaches it.
  ip netns exec "$BENCH_NETNS" dotnet "$root/.build/cli/radbridge.dll" serve --data "$RB_DATA" --no-demo --bind 127.0.0.1 \
    --http-port "$RB_HTTP_PORT" --dicom-port "$RB_DICOM_PORT" --aet "$RB_AET" >"$OUTDIR/radbridge.log" 2>&1 </dev/null &
  RB_PID=$!
  for _ in $(seq 1 240); do
    kill -0 "$RB_PID" 2>/dev/null || { tail -n 30 "$OUTDIR/radbridge.log" >&2; die "radbridge serve exited during start-up"; }
    in_ns curl -sf -o /dev/null "http://127.0.0.1:$RB_HTTP_PORT/health/ready" && break
    sleep 0.5
  done
  in_ns curl -sf -o /dev/null "http://127.0.0.1:$RB_HTTP_PORT/health/ready" || die "radbridge serve not ready after 120 s"
  in_ns curl -sf -o /dev/null -u "$RB_USER:$RB_PASSWORD" "http://127.0.0.1:$RB_HTTP_PORT/dicomweb/studies" ||
    die "QIDO with the bench user's Basic credentials failed"
  log "radbridge serve pid $RB_PID up (http $RB_HTTP_PORT, dicom $RB_DICOM_PORT, aet $RB_AET)"
  TARGET_NAME=radbridge DICOM_PORT="$RB_DICOM_PORT" CALLED_AET="$RB_AET" \
  DICOMWEB_BASE="http://127.0.0.1:$RB_HTTP_PORT/dicomweb" DICOMWEB_USER="$RB_USER" DICOMWEB_PASSWORD="$RB_PASSWORD" \
    in_ns "$PY" "$CLIENT" --target-name radbridge --phases "$PHASES" --out "$OUTDIR/radbridge.json" ||
    log "the client failed against RadBridge (see above and $OUTDIR/radbridge.log); reporting what was measured"
  kill -TERM "$RB_PID"
  wait "$RB_PID" 2>/dev/null || true
  RB_PID=""
  rm -rf -- "$RB_DATA"
  RB_DATA=""
fi

# --- report -------------------------------------------------------------------------------------------------
files=()
for f in orthanc radbridge; do [ -f "$OUTDIR/$f.json" ] && files+=("$OUTDIR/$f.json"); done
[ ${#files[@]} -gt 0 ] || die "no results"
"$PY" "$BENCH_PEER/report.py" "${files[@]}" > "$OUTDIR/report.md"
verdict=0
if [ -f "$OUTDIR/orthanc.json" ] && [ -f "$OUTDIR/radbridge.json" ]; then
  { printf '\n## Goals (issue 6)\n\n'; "$PY" "$root/bench/archive_goals.py" "$OUTDIR/orthanc.json" "$OUTDIR/radbridge.json" || verdict=$?; } >> "$OUTDIR/report.md"
fi
cat "$OUTDIR/report.md"
log "results in $OUTDIR"
exit "$verdict"
