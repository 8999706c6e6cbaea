#!/usr/bin/env bash
# Web viewer: a generated CT (300 slices of 512×512; /work/shared/bench-peer/gen_study.py) in a fresh radbridge serve,
# opened RUNS times in a fresh headless Debian chromium each; times the first image on screen and the whole series
# loaded (scrollable), from the viewer's mount and from navigation start. Goals (issue 7): ≤ 300 ms and ≤ 3 s.
#
#   bench/web-viewer.sh        → bench/results/web-viewer.md
#
# env: SLICES (300), SIZE (512), RUNS (5), OUT (result file), RADBRIDGE_SAMPLES (the samples folder, beside which
# bench-peer/ is found)
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
OUT="${OUT:-$root/bench/results/web-viewer.md}"
SLICES="${SLICES:-300}" SIZE="${SIZE:-512}" RUNS="${RUNS:-5}"
command -v chromium >/dev/null || { echo "web-viewer: chromium is missing (apt-get install chromium)" >&2; exit 1; }

TMP="$(mktemp -d /tmp/rb-web-viewer.XXXXXX)"
trap 'rm -rf -- "$TMP"' EXIT

echo "==> building the web app and bench/RadBridge.WebViewerBench"
"$root/web/build.sh" >/dev/null
dotnet build "$root/bench/RadBridge.WebViewerBench" -c Release -nologo -v q >"$TMP/build.log" 2>&1 ||
  { grep -E ': (error|warning) ' "$TMP/build.log" | sort -u >&2 || tail -n 30 "$TMP/build.log" >&2; exit 1; }

dotnet "$root/bench/RadBridge.WebViewerBench/bin/Release/net10.0/radbridge-webviewerbench.dll" \
  --slices "$SLICES" --size "$SIZE" --runs "$RUNS" --out "$TMP/report.md"
mkdir -p "$(dirname "$OUT")"
{
  echo "# Web viewer benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(chromium --version 2>/dev/null | head -n 1))"
  echo
  cat "$TMP/report.md"
} >"$OUT"
echo "==> $OUT"
