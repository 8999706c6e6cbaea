#!/usr/bin/env bash
# build.sh OUTPUT: compile openjph_shim.cpp into OUTPUT (libradbridge_openjph.so) when the source or this script
# is newer than it. Without g++ or OpenJPH's headers it builds nothing and says so: the HTJ2K codec then reports
# CodecUnavailableException naming the packages, and every other codec works. Called by the build of
# src/RadBridge.Dicom.Imaging (so by ./test.sh and ./radbridge) and by bench/native-codecs.sh.
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
source="$here/openjph_shim.cpp"
output="${1:?usage: build.sh OUTPUT.so}"

if [[ -f "$output" && "$output" -nt "$source" && "$output" -nt "${BASH_SOURCE[0]}" ]]; then
    exit 0
fi
if ! command -v g++ >/dev/null 2>&1; then
    echo "openjph-shim: g++ not found; HTJ2K will be unavailable (apt-get install g++ libopenjph-dev)"
    exit 0
fi
if [[ ! -f /usr/include/openjph/ojph_codestream.h ]]; then
    echo "openjph-shim: OpenJPH headers not found; HTJ2K will be unavailable (apt-get install libopenjph-dev)"
    exit 0
fi

mkdir -p "$(dirname -- "$output")"
# Build beside the target and rename, so a concurrent build or a running process never sees half a library.
tmp="$(mktemp "$output.XXXXXX")"
trap 'rm -f -- "$tmp"' EXIT
g++ -std=c++14 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror -o "$tmp" "$source" -lopenjph
chmod 755 "$tmp"
mv -f -- "$tmp" "$output"
trap - EXIT
echo "openjph-shim: built $output"
