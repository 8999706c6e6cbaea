#!/usr/bin/env bash
# bench/jpeg-codec.sh: JPEG decode/encode throughput of each RadBridge coder path (libjpeg-turbo, managed DCT,
# managed lossless) against DCMTK's dcmdjpeg on the same sample files; writes bench/results/jpeg.md.
#
#   bench/jpeg-codec.sh [seconds-per-case]     (default 2)
#
# MB/s counts decoded native pixel bytes (Bits Allocated width) per second, one thread. dcmdjpeg is timed as a
# process (best of 5 runs), which includes its start-up and file I/O; the start-up cost measured on a 100x100
# image is subtracted in the "net" column.
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
samples="${RADBRIDGE_SAMPLES:-$root/../shared/dicom-samples}"
seconds="${1:-2}"
out="$root/bench/results/jpeg.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
command -v dcmdjpeg >/dev/null || { echo "jpeg-codec.sh: dcmdjpeg (dcmtk) is not installed" >&2; exit 1; }

dotnet build "$root/bench/JpegCodecBench" -c Release --nologo -v q >/dev/null
RADBRIDGE_SAMPLES="$samples" dotnet "$root/bench/JpegCodecBench/bin/Release/net10.0/JpegCodecBench.dll" "$seconds" > "$tmp/ours.tsv"

best_ms() { # best wall time of 5 dcmdjpeg runs, in milliseconds
    local best=999999999 t0 t1 ms
    for _ in 1 2 3 4 5; do
        t0=$(date +%s%N); dcmdjpeg "$1" "$tmp/out.dcm"; t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000 )); (( ms < best )) && best=$ms
    done
    echo "$best"
}
startup_us=$(best_ms "$samples/JPEGBaseline_1s_1f_u_08_08.dcm")

{
    echo "# JPEG codec throughput"
    echo
    echo "Produced by \`bench/jpeg-codec.sh $seconds\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "$(dotnet --version | sed 's/^/.NET SDK /'), libjpeg-turbo $(dpkg-query -W -f='${Version}' libturbojpeg0 2>/dev/null || echo '?'), DCMTK $(dcmdjpeg --version 2>/dev/null | head -1 | sed 's/.*v\([0-9.]*\).*/\1/')."
    echo "MB/s = decoded native pixel bytes per second, one thread. dcmdjpeg runs as a process (best of 5, start-up"
    echo "$(awk -v u="$startup_us" 'BEGIN{printf "%.1f ms measured on a 100x100 file", u/1000}') and subtracted in the *net* column)."
    echo
    echo "| operation | file | frames | MB | path | MB/s |"
    echo "| --- | --- | ---: | ---: | --- | ---: |"
    tail -n +2 "$tmp/ours.tsv" | while IFS=$'\t' read -r op file path frames mb rate; do
        echo "| $op | $file | $frames | $mb | $path | $rate |"
    done
    echo
    echo "| file | MB | dcmdjpeg wall ms | dcmdjpeg MB/s | dcmdjpeg net MB/s |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    awk -F'\t' '$1=="decode" && $3=="JpegCodec" {print $2"\t"$5}' "$tmp/ours.tsv" | while IFS=$'\t' read -r file mb; do
        us=$(best_ms "$samples/$file")
        awk -v f="$file" -v mb="$mb" -v us="$us" -v s="$startup_us" 'BEGIN{
            net = us - s; if (net < 1) net = 1;
            printf "| %s | %s | %.1f | %.1f | %.1f |\n", f, mb, us/1000, mb/(us/1e6), mb/(net/1e6) }'
    done
} > "$out"
cat "$out"
