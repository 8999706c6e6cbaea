#!/usr/bin/env bash
# bench/jpeg-codec.sh: JPEG decode/encode throughput of each RadBridge coder path (libjpeg-turbo, managed DCT,
# managed lossless) against DCMTK's dcmdjpeg on the same sample files; writes bench/results/jpeg.md.
#
#   bench/jpeg-codec.sh [seconds-per-case]     (default 2)
#
# MB/s counts decoded native pixel bytes (Bits Allocated width) per second, one thread. dcmdjpeg is timed as a
# process (best of 3 runs) on copies of the samples whose frames are repeated to >= 24 MB of decoded pixels, so
# its start-up (measured on a 100x100 file and subtracted in the "net" column) and file I/O weigh little.
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
samples="${RADBRIDGE_SAMPLES:-$root/../shared/dicom-samples}"
seconds="${1:-2}"
out="$root/bench/results/jpeg.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
command -v dcmdjpeg >/dev/null || { echo "jpeg-codec.sh: dcmdjpeg (dcmtk) is not installed" >&2; exit 1; }

dotnet build "$root/bench/JpegCodecBench" -c Release --nologo -v q >/dev/null
bench=("dotnet" "$root/bench/JpegCodecBench/bin/Release/net10.0/JpegCodecBench.dll")
RADBRIDGE_SAMPLES="$samples" "${bench[@]}" "$seconds" > "$tmp/ours.tsv"
mkdir "$tmp/rep"
RADBRIDGE_SAMPLES="$samples" "${bench[@]}" --replicate "$tmp/rep" > "$tmp/rep.tsv"

best_ms() { # best wall time of 3 dcmdjpeg runs, in microseconds
    local best=999999999999 t0 t1 ms
    for _ in 1 2 3; do
        t0=$(date +%s%N); dcmdjpeg "$1" "$tmp/out.dcm" 2>/dev/null; t1=$(date +%s%N)
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
    echo "MB/s = decoded native pixel bytes per second, one thread. dcmdjpeg runs as a process (best of 3) on copies of"
    echo "the samples with their frames repeated to >= 24 MB of pixels; its start-up ($(awk -v u="$startup_us" 'BEGIN{printf "%.1f ms", u/1000}') on a 100x100 file) is"
    echo "subtracted in the *net* column. The JpegCodec path includes the frame-header look-up that picks the coder."
    echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share the machine: compare paths within one run)."
    echo
    echo "| operation | file | frames | MB | path | MB/s |"
    echo "| --- | --- | ---: | ---: | --- | ---: |"
    tail -n +2 "$tmp/ours.tsv" | while IFS=$'\t' read -r op file path frames mb rate; do
        echo "| $op | $file | $frames | $mb | $path | $rate |"
    done
    echo
    echo "| file (frames repeated) | frames | MB | dcmdjpeg wall ms | dcmdjpeg MB/s | dcmdjpeg net MB/s |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    while IFS=$'\t' read -r file frames mb; do
        us=$(best_ms "$tmp/rep/$file")
        awk -v f="$file" -v n="$frames" -v mb="$mb" -v us="$us" -v s="$startup_us" 'BEGIN{
            net = us - s; if (net < 1) net = 1;
            printf "| %s | %s | %s | %.1f | %.1f | %.1f |\n", f, n, mb, us/1000, mb/(us/1e6), mb/(net/1e6) }'
    done < "$tmp/rep.tsv"
} > "$out"
cat "$out"
