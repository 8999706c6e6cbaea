#!/usr/bin/env bash
# native-codecs.sh: encode/decode throughput of RadBridge's native codecs (CharLS, OpenJPEG, OpenJPH through
# P/Invoke) against the reference command-line tools on the same CT slice, and the lossless compression ratios.
# Writes bench/results/native-codecs.md.
#
#   bench/native-codecs.sh [SECONDS_PER_MEASUREMENT] [TOOL_RUNS]
#
# The slice is the 512x512 16-bit signed CT of the shared samples (CT1_UNC, JPEG-LS in the corpus; DCMTK's
# dcmdjpls makes it native first). Our figures are in-process, per frame, after a warm-up. The tools' figures
# are whole process runs (start-up, file reading and writing included; DCMTK also parses and writes DICOM), so
# they are an upper bound on the tools' cost, not their codec's speed alone. MB = 10^6 bytes of uncompressed
# frame (Bits Allocated wide).
set -euo pipefail

root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
seconds="${1:-1}"
runs="${2:-10}"
samples="${RADBRIDGE_SAMPLES:-$root/../shared/dicom-samples}"
slice="$samples/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm"
out="$root/bench/results/native-codecs.md"
for tool in dcmdjpls dcmcjpls opj_compress opj_decompress ojph_compress ojph_expand dotnet; do
    command -v "$tool" >/dev/null || { echo "native-codecs.sh: $tool is missing (./test.sh installs it)" >&2; exit 1; }
done
[[ -f "$slice" ]] || { echo "native-codecs.sh: $slice not found (set RADBRIDGE_SAMPLES)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT
dcmdjpls "$slice" "$work/ct.dcm"

echo "building bench/NativeCodecs (Release)..." >&2
dotnet build "$root/bench/NativeCodecs/NativeCodecs.csproj" -c Release -nologo -v quiet \
    --artifacts-path "$root/.build/bench-native" >/dev/null
dotnet "$root/.build/bench-native/bin/NativeCodecs/release/NativeCodecs.dll" "$work/ct.dcm" "$work/streams" "$seconds" >"$work/ours.tsv"

frame_bytes=$(stat -c %s "$work/streams/frame.raw")
cp "$work/streams/frame.raw" "$work/frame.rawl"
cp "$work/streams/frame.raw" "$work/frame.yuv"
cp "$work/streams/1.2.840.10008.1.2.4.90.bin" "$work/ours.j2k"
cp "$work/streams/1.2.840.10008.1.2.4.201.bin" "$work/ours.j2c"

# MB/s of `runs` runs of a command (wall clock).
rate() {
    local start end i
    start=$(date +%s%N)
    for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1; done
    end=$(date +%s%N)
    awk -v b="$frame_bytes" -v n="$runs" -v ns="$((end - start))" 'BEGIN { printf "%.1f", b * n / (ns / 1e9) / 1e6 }'
}

dcmcjpls "$work/ct.dcm" "$work/dcmtk-jls.dcm"
jls_encode=$(rate dcmcjpls "$work/ct.dcm" "$work/x.dcm")
jls_decode=$(rate dcmdjpls "$work/dcmtk-jls.dcm" "$work/y.dcm")
opj_encode=$(rate opj_compress -i "$work/frame.rawl" -o "$work/x.j2k" -F 512,512,1,16,s -quiet)
opj_decode=$(rate opj_decompress -i "$work/ours.j2k" -o "$work/y.rawl" -quiet)
ojph_encode=$(rate ojph_compress -i "$work/frame.yuv" -o "$work/x.j2c" -dims '{512,512}' -num_comps 1 -signed true \
    -bit_depth 16 -downsamp '{1,1}' -reversible true)
ojph_decode=$(rate ojph_expand -i "$work/ours.j2c" -o "$work/y.yuv")
ojph_size=$(stat -c %s "$work/x.j2c")
# ojph_expand and ojph_compress time their codec work themselves ("Elapsed time = S"): codec-only figures.
ojph_decode_own=$(ojph_expand -i "$work/ours.j2c" -o "$work/y.yuv" 2>&1 | awk -v b="$frame_bytes" '/Elapsed time/ { printf "%.1f", b / $4 / 1e6 }')
opj_size=$(stat -c %s "$work/x.j2k")

{
    echo "# Native codecs: throughput and lossless ratios"
    echo
    echo "Produced by \`bench/native-codecs.sh $seconds $runs\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -m), load"
    echo "average $(cut -d' ' -f1 /proc/loadavg) when it ran: absolute figures drop on a shared machine, the comparisons hold)."
    echo "Frame: CT1_UNC, 512x512, 16 bits allocated and stored, signed; $frame_bytes bytes. MB = 10^6 bytes of"
    echo "uncompressed frame. Lossy settings: JPEG-LS NEAR=2; JPEG 2000 and HTJ2K 10:1."
    echo
    echo "## RadBridge (in process, one thread, per frame after warm-up)"
    echo
    echo "| Transfer syntax | UID | Encode MB/s | Decode MB/s | Codestream bytes | Ratio |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    while IFS=$'\t' read -r uid name enc dec size ratio; do
        echo "| $name | $uid | $enc | $dec | $size | $ratio:1 |"
    done <"$work/ours.tsv"
    echo
    echo "## Reference tools (whole process runs, $runs each, start-up and file I/O included)"
    echo
    echo "| Tool | Codec | MB/s | Note |"
    echo "| --- | --- | ---: | --- |"
    echo "| dcmcjpls | CharLS (in DCMTK) encode, lossless | $jls_encode | reads and writes DICOM |"
    echo "| dcmdjpls | CharLS (in DCMTK) decode | $jls_decode | reads and writes DICOM |"
    echo "| opj_compress | OpenJPEG encode, lossless | $opj_encode | codestream $opj_size bytes |"
    echo "| opj_decompress | OpenJPEG decode of our .90 stream | $opj_decode | |"
    echo "| ojph_compress | OpenJPH encode, lossless | $ojph_encode | codestream $ojph_size bytes |"
    echo "| ojph_expand | OpenJPH decode of our .201 stream | $ojph_decode | its own timer, codec only: $ojph_decode_own MB/s |"
    echo
    echo "## Reading the figures"
    echo
    echo "- HTJ2K decoding in RadBridge is OpenJPEG's. OpenJPH decodes the same stream several times faster (its own"
    echo "  timer above), but OpenJPH 0.9 hung on codestreams with a few flipped header bits in our fuzzing, which no"
    echo "  up-front check can rule out, so RadBridge uses it only to encode."
    echo "- HTJ2K lossy (.203) encode bisects OpenJPH's quantisation step to meet the ratio (up to nine encodes"
    echo "  per frame); OpenJPH has no rate control of its own."
    echo "- The lossless ratios are those of the table above (.80, .90, .201/.202)."
} >"$out"
cat "$out"
echo >&2
echo "written: $out" >&2
