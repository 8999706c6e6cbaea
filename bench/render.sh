#!/usr/bin/env bash
# bench/render.sh: one 512×512 CT slice to JPEG (window 40,400), RadBridge vs DCMTK's dcmj2pnm.
#   - RadBridge in-process: `radbridge render --repeat N` (open, decode, render, encode, write, N times)
#   - RadBridge per process: one `radbridge render` per image (includes .NET start-up)
#   - dcmj2pnm per image: one process per image, as a service shelling out to it would run
# Writes bench/results/render.md. Usage: bench/render.sh [ITERATIONS]   (default 500 in-process, 50 per process)
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
cd "$root"
n="${1:-500}"
per=$(( n / 10 > 0 ? n / 10 : 1 ))
samples="${RADBRIDGE_SAMPLES:-$root/../shared/dicom-samples}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v dcmj2pnm >/dev/null && command -v dcmdjpls >/dev/null || { echo "render.sh: needs dcmtk (apt-get install dcmtk)" >&2; exit 2; }
# A native (uncompressed) 512×512 signed 16-bit CT slice, decoded from the lossless JPEG-LS sample, so both sides
# skip decompression and the figure is rendering plus JPEG encoding.
dcmdjpls "$samples/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm" "$work/ct512.dcm"

./radbridge --help >/dev/null  # build once
export RADBRIDGE_NO_BUILD=1

ms() { date +%s%N; }

inproc="$(./radbridge render "$work/ct512.dcm" "$work/ours.jpg" --window 40,400 --quality 90 --repeat "$n")"
inproc_ms="$(sed -E 's/.* ([0-9.]+) ms each/\1/' <<<"$inproc")"

t0=$(ms)
for ((i = 0; i < per; i++)); do ./radbridge render "$work/ct512.dcm" "$work/ours.jpg" --window 40,400 --quality 90; done
t1=$(ms)
ours_proc_ms=$(awk -v a="$t0" -v b="$t1" -v n="$per" 'BEGIN { printf "%.2f", (b - a) / 1e6 / n }')

t0=$(ms)
for ((i = 0; i < per; i++)); do dcmj2pnm --write-jpeg +Ww 40 400 "$work/ct512.dcm" "$work/dcmtk.jpg"; done
t1=$(ms)
dcmtk_ms=$(awk -v a="$t0" -v b="$t1" -v n="$per" 'BEGIN { printf "%.2f", (b - a) / 1e6 / n }')

speedup=$(awk -v a="$dcmtk_ms" -v b="$inproc_ms" 'BEGIN { printf "%.1f", a / b }')
speedup_proc=$(awk -v a="$dcmtk_ms" -v b="$ours_proc_ms" 'BEGIN { printf "%.1f", a / b }')
ours_size=$(stat -c %s "$work/ours.jpg"); dcmtk_size=$(stat -c %s "$work/dcmtk.jpg")

mkdir -p bench/results
cat > bench/results/render.md <<MD
# Rendering benchmark: 512×512 CT slice to JPEG

\`bench/render.sh $n\` on $(nproc) cores, $(date -u +%Y-%m-%d). Input: CT1_UNC.fragmented_bot_jpeg_ls.80.dcm decoded with dcmdjpls
(native, signed 16-bit, 512×512); window 40/400; JPEG quality 90.

| what | ms per image | vs dcmj2pnm |
| --- | ---: | ---: |
| RadBridge in-process (open, decode, render, libjpeg-turbo, write; $n iterations) | $inproc_ms | ${speedup}× faster |
| RadBridge, one \`radbridge render\` process per image ($per images) | $ours_proc_ms | ${speedup_proc}× |
| DCMTK \`dcmj2pnm --write-jpeg +Ww 40 400\`, one process per image ($per images) | $dcmtk_ms | 1× |

Output sizes: RadBridge ${ours_size} bytes, dcmj2pnm ${dcmtk_size} bytes.

Wall-clock times. The goal is the in-process figure: the archive and DICOMweb render in a running server. One
\`radbridge\` process per image pays .NET start-up and JIT for every image, which is why the CLI is not the
way to render in bulk.
MD
cat bench/results/render.md
