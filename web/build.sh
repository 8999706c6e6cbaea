#!/usr/bin/env bash
# web/build.sh: build the web app into .build/web when its sources changed (npm ci first when package-lock.json is
# newer than the installed packages). Called by `./radbridge serve` and by test.sh; prints the web root on stdout.
#
# The build goes to a fresh folder and .build/web is switched to it by an atomic rename, so a running server never
# serves a half-written app. Exit 3 when Node.js/npm are missing (the caller decides whether that is fatal).
set -euo pipefail

web="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd -P)"
root="$(dirname -- "$web")"
out="$root/.build"
stamp="$out/web.stamp"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "web/build.sh: Node.js >= 18.19 and npm are needed to build the web app (Debian/Ubuntu: apt-get install nodejs npm)" >&2
    exit 3
fi

# Path + mtime + size of every source file of the app (node_modules and the output excluded).
fingerprint() {
    (
        cd "$web"
        find . \( -name node_modules -o -name '.*' -a ! -name . \) -prune -o -type f -printf '%p %T@ %s\n'
    ) | LC_ALL=C sort | sha1sum | cut -d' ' -f1
}

mkdir -p "$out"
exec 9>"$out/web.lock"
flock 9
fp="$(fingerprint)"
if [[ -f "$out/web/index.html" && -f "$stamp" && "$(<"$stamp")" == "$fp" ]]; then
    echo "$out/web"
    exit 0
fi

if [[ ! -d "$web/node_modules" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
    echo "web/build.sh: npm ci" >&2
    # npm ci refuses a lock file whose optional per-platform packages (rollup's, esbuild's) the registry mirror does not
    # hold; `npm install --no-save` then installs the same locked versions without rewriting package-lock.json.
    if ! (cd "$web" && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2 9>&-); then
        echo "web/build.sh: npm ci failed; npm install --no-save from the same lock file" >&2
        (cd "$web" && npm install --no-save --no-audit --no-fund --loglevel=error </dev/null >&2 9>&-)
    fi
fi

previous="$(readlink "$out/web" 2>/dev/null || true)"
dir="$(mktemp -d "$out/web.build-XXXXXX")"
chmod 755 "$dir"
log="$out/web-build.log"
echo "web/build.sh: building the web app" >&2
if ! (cd "$web" && RADBRIDGE_WEB_OUT="$dir" npm run --silent build </dev/null >"$log" 2>&1 9>&-); then
    rm -rf -- "$dir"
    echo "web/build.sh: the web app's build failed (full log: $log):" >&2
    tail -n 30 "$log" >&2
    exit 1
fi
[[ -d "$out/web" && ! -L "$out/web" ]] && rm -rf -- "$out/web"
ln -s "$(basename "$dir")" "$out/web.link.$$"
mv -T "$out/web.link.$$" "$out/web"
echo "$fp" >"$stamp.$$"
mv -f "$stamp.$$" "$stamp"
for d in "$out"/web.build-*; do
    [[ -d "$d" && "$(basename "$d")" != "$(basename "$dir")" && "$(basename "$d")" != "$previous" ]] && rm -rf -- "$d"
done
echo "$out/web"
