#!/usr/bin/env bash
# Index scale: fills a fresh archive index with 1,000,000 synthetic instance rows (20,000 studies × 5 series × 10
# instances; Chinese and Latin names, two organisations, shares) on SQLite and on a throwaway PostgreSQL cluster
# (tests/postgres-cluster.sh, the one ./test.sh uses), then times QIDO-style searches through the archive's query
# engine, p50/p95 over RUNS runs each. Goal (issue 6): p95 ≤ 20 ms on SQLite, ≤ 50 ms on PostgreSQL.
#
#   bench/archive-scale.sh       → bench/results/archive-scale.md (+ archive-scale.sql: the SQL of each search)
#
# env: STUDIES (20000), SERIES (5), INSTANCES (10), RUNS (200), SKIP_PG=1, SKIP_SQLITE=1, OUT (result file)
set -euo pipefail
root="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
OUT="${OUT:-$root/bench/results/archive-scale.md}"
STUDIES="${STUDIES:-20000}" SERIES="${SERIES:-5}" INSTANCES="${INSTANCES:-10}" RUNS="${RUNS:-200}"
# shellcheck source=tests/postgres-cluster.sh
source "$root/tests/postgres-cluster.sh"

TMP="$(mktemp -d /tmp/rb-archive-scale.XXXXXX)"
cleanup() {
  pg_cluster_stop || true
  rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "==> building bench/RadBridge.ArchiveScale"
dotnet build "$root/bench/RadBridge.ArchiveScale" -c Release -nologo -v q >"$TMP/build.log" 2>&1 ||
  { grep -E ': (error|warning) ' "$TMP/build.log" | sort -u >&2 || tail -n 30 "$TMP/build.log" >&2; exit 1; }

args=(--studies "$STUDIES" --series "$SERIES" --instances "$INSTANCES" --runs "$RUNS" --out "$TMP/report.md" --sql-out "$TMP/queries.sql")
[ "${SKIP_SQLITE:-0}" = 1 ] || args+=(--sqlite "$TMP/sqlite-data")
if [ "${SKIP_PG:-0}" != 1 ]; then
  echo "==> PostgreSQL: throwaway cluster"
  pg_cluster_start || { echo "archive-scale: the throwaway PostgreSQL cluster did not start" >&2; exit 1; }
  args+=(--pg "$RADBRIDGE_TEST_PG")
fi

dotnet "$root/bench/RadBridge.ArchiveScale/bin/Release/net10.0/radbridge-archivescale.dll" "${args[@]}"

mkdir -p "$(dirname "$OUT")"
{
  echo "# Archive index at scale"
  echo
  echo "$(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg); \`bench/archive-scale.sh\`"
  echo
  cat "$TMP/report.md"
} > "$OUT"
cp "$TMP/queries.sql" "${OUT%.md}.sql"
echo "==> $OUT"
