#!/usr/bin/env bash
# test.sh: install the test prerequisites (Debian 12 / Ubuntu) when missing, build everything, run every test
# project, and end with one line "N passed, N failed".
#
#   ./test.sh                  everything
#   ./test.sh --filter EXPR    only tests matching a dotnet test filter, e.g. --filter 'FullyQualifiedName~Tag'
#
# Needs only the .NET SDK of global.json; the rest comes from Debian's packages.
set -euo pipefail

# Debian packages the tests use. One entry per package: "package  probe...", where a probe is
#   cmd:NAME   a command on PATH          file:PATH   a file that must exist
#   py:MODULE  importable by /usr/bin/python3 (Debian's python: a pyenv python3 may come first on PATH)
#   glob:PATTERN  at least one file matches (e.g. a versioned directory)
# An entry without probes is checked with dpkg. The package is installed when any of its probes fails.
PREREQS=(
    "dcmtk            cmd:dcmdump cmd:storescu cmd:dcmdjpeg"
    "libturbojpeg0"
    "dicom3tools      cmd:dciodvfy"
    "libdcmtk-dev     file:/usr/include/dcmtk/dcmdata/dcuid.h"
    "python3-pydicom  py:pydicom"
    "python3-numpy    py:numpy"
    "libcharls2"
    "libopenjp2-7"
    "libopenjp2-7-dev file:/usr/include/openjpeg-2.5/openjpeg.h"
    "libopenjp2-tools cmd:opj_compress cmd:opj_decompress"
    "libopenjph0.9"
    "libopenjph-dev   file:/usr/include/openjph/ojph_codestream.h"
    "openjph-tools    cmd:ojph_compress cmd:ojph_expand"
    "libgdcm-tools    cmd:gdcmconv"
    "g++              cmd:g++"
    "gcc              cmd:gcc"
    "orthanc          file:/usr/sbin/Orthanc"
    "orthanc-dicomweb file:/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
    "postgresql       glob:/usr/lib/postgresql/*/bin/pg_ctl glob:/usr/lib/postgresql/*/bin/initdb"
    "nodejs           cmd:node"
    "npm              cmd:npm"
    "openssl          cmd:openssl"
    "curl             cmd:curl"
    "poppler-utils    cmd:pdftotext cmd:pdfinfo"
    "fonts-dejavu-core    file:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf file:/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    "fonts-droid-fallback file:/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
    "chromium         cmd:chromium"
    "oathtool         cmd:oathtool"
)

root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd -P)"
cd "$root"

filter=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --filter) [[ $# -ge 2 ]] || { echo "test.sh: --filter needs an expression" >&2; exit 2; }
                  filter=(--filter "$2"); shift 2 ;;
        --filter=*) filter=(--filter "${1#--filter=}"); shift ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "test.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }

# --- prerequisites ---------------------------------------------------------------------------------------

probe() {
    case "$1" in
        cmd:*)  command -v "${1#cmd:}" >/dev/null 2>&1 ;;
        file:*) [[ -e "${1#file:}" ]] ;;
        py:*)   [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c "import ${1#py:}" >/dev/null 2>&1 ;;
        glob:*) compgen -G "${1#glob:}" >/dev/null ;;
        *)      echo "test.sh: unknown probe '$1'" >&2; exit 2 ;;
    esac
}

is_present() {
    local pkg="$1" p
    shift
    if [[ $# -eq 0 ]]; then
        [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)" == "ii"* ]]
        return
    fi
    for p in "$@"; do probe "$p" || return 1; done
}

missing_packages() {
    local entry
    for entry in "${PREREQS[@]}"; do
        # shellcheck disable=SC2086 # the entry is split into package and probes on purpose
        set -- $entry
        is_present "$@" || echo "$1"
    done
}

step "Prerequisites"
mapfile -t missing < <(missing_packages)
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "missing: ${missing[*]}"
    if [[ $EUID -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "test.sh: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    mapfile -t still < <(missing_packages)
    if [[ ${#still[@]} -gt 0 ]]; then
        echo "test.sh: still missing after apt-get install: ${still[*]}" >&2
        exit 1
    fi
else
    echo "all present: ${PREREQS[*]%% *}"
fi

# The interop tests' node scripts (tests/interop/dicomweb: the npm dicomweb-client) need their packages: installed
# here from the committed package-lock.json, again only when the lock file is newer than what was installed.
interop_node="$root/tests/interop/dicomweb"
if [[ ! -d "$interop_node/node_modules" || "$interop_node/package-lock.json" -nt "$interop_node/node_modules/.package-lock.json" ]]; then
    step "npm ci in tests/interop/dicomweb"
    (cd "$interop_node" && npm ci --no-audit --no-fund)
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: dotnet not found; install the .NET SDK named in global.json" >&2
    exit 1
fi

# --- build -----------------------------------------------------------------------------------------------

step "dotnet $(dotnet --version): restore and build RadBridge.slnx (Release)"
dotnet restore RadBridge.slnx
dotnet build RadBridge.slnx -c Release --no-restore

# Tests may run ./radbridge; build it now through the launcher so they find it current (it is quiet on success).
step "Launcher: ./radbridge"
./radbridge --version

# The web app (web/): the browser tests serve it from .build/web, as `./radbridge serve` does.
step "Web app: web/build.sh"
web/build.sh

# --- tests -----------------------------------------------------------------------------------------------

# A throwaway PostgreSQL cluster for the archive tests, which run on SQLite and on PostgreSQL: the tests read its
# Npgsql connection string from RADBRIDGE_TEST_PG. It is stopped and removed on every exit, failed tests included; a
# cluster that does not start fails the run (the PostgreSQL half of the suite must not vanish silently).
# shellcheck source=tests/postgres-cluster.sh
source "$root/tests/postgres-cluster.sh"
trap 'pg_cluster_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
step "PostgreSQL: throwaway cluster"
pg_started=$SECONDS
if ! pg_cluster_start; then
    echo "test.sh: the throwaway PostgreSQL cluster did not start (see above); the archive tests need it" >&2
    exit 1
fi
echo "RADBRIDGE_TEST_PG=$RADBRIDGE_TEST_PG (in $RADBRIDGE_TEST_PG_DIR, up in $((SECONDS - pg_started)) s)"

# Test projects: those of the solution whose project file uses the test SDK (helper libraries under tests/
# are skipped); the solution build above built exactly these, hence --no-build.
mapfile -t projects < <(
    sed -n 's/.*Path="\([^"]*\.csproj\)".*/\1/p' RadBridge.slnx |
        while read -r p; do grep -q -E 'Microsoft\.NET\.Test\.Sdk|<IsTestProject>true' "$p" && echo "$p"; done
)

results="$root/.build/test-results"
rm -rf -- "$results"
mkdir -p "$results"

# One attribute of a TRX <Counters .../> element, 0 when absent.
counter() {
    local v
    v="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
    echo "${v:-0}"
}

passed=0 failed=0 skipped=0 broken=()
for project in "${projects[@]}"; do
    name="$(basename "$project" .csproj)"
    step "Test $name"
    status=0
    dotnet test "$project" --no-build -c Release "${filter[@]}" \
        --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" \
        --results-directory "$results/$name" \
        --blame-hang-timeout 20m --blame-hang-dump-type none || status=$?
    trx="$results/$name/$name.trx"
    p=0 f=0 s=0
    if [[ -f "$trx" ]]; then
        # <Counters total=".." executed=".." passed=".." failed=".." error=".." timeout=".." aborted=".." ... notExecuted=".." .../>
        counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)"
        p=$(counter passed "$counters")
        f=$(($(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") +
            $(counter aborted "$counters")))
        # Skipped tests are counted in total but not in executed (nor in notExecuted, whatever its name says).
        s=$(($(counter total "$counters") - $(counter executed "$counters")))
    fi
    if [[ $status -ne 0 && $f -eq 0 ]]; then
        # The run failed without a failed test to show for it (crash, hang, no TRX): count it as one failure.
        echo "test.sh: dotnet test of $name exited with $status and no failed test in its results" >&2
        f=1
    fi
    [[ $f -gt 0 ]] && broken+=("$name")
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

step "Summary"
echo "test projects: ${#projects[@]}; results: $results"
[[ ${#broken[@]} -gt 0 ]] && echo "failing: ${broken[*]}"
[[ $skipped -gt 0 ]] && echo "skipped: $skipped"
if [[ $((passed + failed)) -eq 0 ]]; then
    echo "test.sh: no test ran" >&2
    failed=0
    echo "$passed passed, $failed failed"
    exit 1
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
