using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RadBridge.Archive.Index;

/// <summary>Chooses and prepares the index database of an <see cref="ArchiveLocation"/>: SQLite (WAL) or PostgreSQL.</summary>
public static class ArchiveDatabase
{
    /// <summary>Points <paramref name="builder"/> at the location's database.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, ArchiveLocation location)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(location);
        if (location.DatabaseConnectionString is { } pg)
        {
            builder.UseNpgsql(pg, o => o.CommandTimeout(60));
        }
        else
        {
            var csb = new SqliteConnectionStringBuilder
            {
                DataSource = location.SqlitePath,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = 30,
            };
            builder.UseSqlite(csb.ConnectionString).AddInterceptors(SqlitePragmas.Instance);
        }
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return builder;
    }

    public static DbContextOptions<ArchiveDbContext> Options(ArchiveLocation location) =>
        (DbContextOptions<ArchiveDbContext>)Configure(new DbContextOptionsBuilder<ArchiveDbContext>(), location).Options;

    /// <summary>Opens a context on the location's database (for the CLI and tests; the server uses a pooled factory).</summary>
    public static ArchiveDbContext Open(ArchiveLocation location) => new(Options(location));

    /// <summary>
    /// Creates the schema when the database is new. Idempotent, and safe when a second process (the admin CLI beside a
    /// running server) does the same at the same time.
    /// </summary>
    public static async Task EnsureSchemaAsync(ArchiveLocation location, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        location.EnsureDirectories();
        await using var db = Open(location);
        var created = false;
        try
        {
            created = await db.Database.EnsureCreatedAsync(ct).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // Another process may have created it between EF's check and its CREATE: fine if the schema is there now.
            if (!await HasSchemaAsync(db, ct).ConfigureAwait(false)) throw;
        }
        if (!created) await AddMissingTablesAsync(db, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Additive schema upgrade of an existing database: the tables and indexes a newer RadBridge added (read requests,
    /// report versions, …) are created when missing; existing ones are left as they are. Both SQLite and PostgreSQL
    /// accept <c>IF NOT EXISTS</c> on these statements. A changed column of an existing table is not handled here.
    /// </summary>
    private static async Task AddMissingTablesAsync(ArchiveDbContext db, CancellationToken ct)
    {
        foreach (var statement in db.Database.GenerateCreateScript().Split(";", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? idempotent = null;
            foreach (var (prefix, replacement) in AdditivePrefixes)
            {
                if (statement.StartsWith(prefix, StringComparison.Ordinal))
                {
                    idempotent = replacement + statement[prefix.Length..];
                    break;
                }
            }
            if (idempotent is null) continue;
#pragma warning disable EF1002 // The statement comes from EF's own create script for this model, not from input.
            await db.Database.ExecuteSqlRawAsync(idempotent, ct).ConfigureAwait(false);
#pragma warning restore EF1002
        }
    }

    private static readonly (string Prefix, string Replacement)[] AdditivePrefixes =
    [
        ("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS "),
        ("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS "),
        ("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "),
    ];

    private static async Task<bool> HasSchemaAsync(ArchiveDbContext db, CancellationToken ct)
    {
        try
        {
            _ = await db.Organizations.AnyAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>
    /// Per-connection SQLite settings: WAL (readers never block the writer), synchronous FULL (a commit is on disk
    /// before it returns, which the "acknowledge only after the index row is committed" rule needs), a busy timeout so
    /// the CLI and the server can write the same file, foreign keys, and a case-sensitive LIKE: DICOM wildcard matching
    /// is case-sensitive (PostgreSQL's LIKE is too, so both agree; PN matching runs on folded columns), and with it SQLite
    /// can answer a prefix pattern ('ZHANG%') from an ordinary index.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Pragmas;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            var cmd = connection.CreateCommand();
            await using (cmd.ConfigureAwait(false))
            {
                cmd.CommandText = Pragmas;
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
