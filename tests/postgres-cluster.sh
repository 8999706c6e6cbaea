#!/usr/bin/env bash
# tests/postgres-cluster.sh: a throwaway PostgreSQL cluster for the tests (Debian's postgresql package).
#
#   ./test.sh sources this file and calls pg_cluster_start / pg_cluster_stop around the test projects.
#   By hand, while developing (the same cluster test.sh makes):
#     eval "$(tests/postgres-cluster.sh start)"      # prints export RADBRIDGE_TEST_PG=... and RADBRIDGE_TEST_PG_DIR=...
#     dotnet test tests/RadBridge.Archive.Tests -c Release
#     tests/postgres-cluster.sh stop "$RADBRIDGE_TEST_PG_DIR"
#
# The cluster lives in a fresh temp dir: data, log and the unix socket dir are inside it; it listens on that socket
# and on 127.0.0.1 at a free port only; trust authentication (loopback and the private socket dir only); fsync stays on
# so timings resemble a real deployment. Its superuser is "radbridge" whatever OS user runs it.

# The directory holding pg_ctl/initdb of the newest installed server version (Debian keeps them off PATH under
# /usr/lib/postgresql/<major>/bin), or nothing.
pg_bin_dir() {
    local d best="" best_major=0 major
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/pg_ctl" && -x "$d/initdb" ]] || continue
        major="$(basename "$(dirname "$d")")"
        [[ "$major" =~ ^[0-9]+$ ]] || continue
        if ((major > best_major)); then best="$d" best_major=$major; fi
    done
    [[ -n "$best" ]] && echo "$best"
}

# PostgreSQL refuses to run as root. As root we run it as the dedicated system user "radbridge-test", created here when
# missing. Why not "nobody": files owned by nobody are writable by every other daemon that drops to nobody (and NFS
# maps unknown users to it), and some distributions give nobody no usable shell or home semantics; a dedicated
# user with no login and no home touches nothing else and is trivially recognised in ps/ls output.
pg_cluster_user() {
    if [[ $EUID -ne 0 ]]; then
        id -un
        return
    fi
    if ! id -u radbridge-test >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --comment "RadBridge throwaway test database" radbridge-test >&2 ||
            # A concurrent run may have created it between our check and useradd.
            id -u radbridge-test >/dev/null 2>&1 ||
            { echo "postgres-cluster: cannot create system user radbridge-test" >&2; return 1; }
    fi
    echo radbridge-test
}

# Runs a command as the cluster user (as is when we are not root).
pg_as_user() {
    local user="$1"
    shift
    if [[ $EUID -eq 0 ]]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pg_cluster_start: creates and starts the cluster; sets and exports RADBRIDGE_TEST_PG (an Npgsql connection string) and
# RADBRIDGE_TEST_PG_DIR (the temp dir, for pg_cluster_stop). Returns non-zero with the server log on stderr on failure.
pg_cluster_start() {
    local bin user dir port attempt
    bin="$(pg_bin_dir)" || { echo "postgres-cluster: no /usr/lib/postgresql/*/bin/pg_ctl (install Debian's postgresql)" >&2; return 1; }
    user="$(pg_cluster_user)" || return 1
    dir="$(mktemp -d "${TMPDIR:-/tmp}/rb-pg.XXXXXX")" || return 1
    RADBRIDGE_TEST_PG_DIR="$dir"
    export RADBRIDGE_TEST_PG_DIR
    mkdir -p "$dir/data" "$dir/socket" || return 1
    if [[ $EUID -eq 0 ]]; then chown -R "$user:" "$dir" || return 1; fi
    # The socket path must fit a unix socket address (107 bytes) and every parent dir must be searchable by the
    # cluster user: a long or private TMPDIR breaks either; /tmp does neither.
    # --no-sync skips only initdb's final flush of the fresh data dir (seconds on a busy disk): a cluster thrown away
    # after the run need not survive a power cut during its creation. The server itself keeps fsync on.
    if ! pg_as_user "$user" "$bin/initdb" --pgdata="$dir/data" --username=radbridge --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions --no-sync >"$dir/initdb.log" 2>&1; then
        echo "postgres-cluster: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        return 1
    fi
    # Only the socket dir and loopback; a few more connections than the default 100 because every test class's
    # Npgsql pool holds some while classes run in parallel.
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
max_connections = 200
EOF
    # A free port can be taken between the probe and the bind: try a few.
    for attempt in 1 2 3; do
        port="$(pg_free_port)" || return 1
        if pg_as_user "$user" "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.$attempt.log" --wait --timeout=60 \
            -o "-p $port" start >/dev/null 2>&1; then
            RADBRIDGE_TEST_PG="Host=127.0.0.1;Port=$port;Username=radbridge;Database=postgres;Include Error Detail=true"
            export RADBRIDGE_TEST_PG
            return 0
        fi
        echo "postgres-cluster: start on port $port failed (attempt $attempt):" >&2
        tail -n 20 "$dir/server.$attempt.log" >&2 || true
    done
    return 1
}

# pg_cluster_stop [DIR]: stops the cluster of DIR (default $RADBRIDGE_TEST_PG_DIR) and removes DIR. Safe to call twice.
pg_cluster_stop() {
    local dir="${1:-${RADBRIDGE_TEST_PG_DIR:-}}" bin user
    [[ -n "$dir" && -d "$dir" ]] || return 0
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        bin="$(pg_bin_dir)" && user="$(stat -c %U "$dir/data")" &&
            # immediate: the data is thrown away, so no checkpoint is worth waiting for.
            pg_as_user "$user" "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --timeout=30 stop >/dev/null 2>&1 ||
            echo "postgres-cluster: pg_ctl stop failed for $dir" >&2
    fi
    rm -rf -- "$dir"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
        start)
            pg_cluster_start || { pg_cluster_stop; exit 1; }
            printf 'export RADBRIDGE_TEST_PG=%q\nexport RADBRIDGE_TEST_PG_DIR=%q\n' "$RADBRIDGE_TEST_PG" "$RADBRIDGE_TEST_PG_DIR"
            ;;
        stop)
            pg_cluster_stop "${2:-}"
            ;;
        *)
            sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
            exit 2
            ;;
    esac
fi
