using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace RadBridge.ArchiveScale;

/// <summary>Writes the synthetic rows straight into the index tables, bypassing EF change tracking (which manages
/// a few thousand rows a second; a million need the database's own bulk path).</summary>
internal interface IBulkLoader
{
    Task LoadAsync<TRow>(TableSpec<TRow> table, IEnumerable<TRow> rows, CancellationToken ct);

    /// <summary>Whatever the database needs after a bulk load before it is queried like a live archive.</summary>
    Task FinishAsync(CancellationToken ct);
}

/// <summary>
/// SQLite: one prepared INSERT re-bound per row, committed every 100,000 rows. The load runs with synchronous=OFF on
/// its own connection — it builds a throwaway index, and the archive's own connections (synchronous=FULL) do the
/// querying afterwards.
/// </summary>
internal sealed class SqliteBulkLoader(string path) : IBulkLoader
{
    private const int Batch = 100_000;

    public async Task LoadAsync<TRow>(TableSpec<TRow> table, IEnumerable<TRow> rows, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-200000;", ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table.Table}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"))})";
        var parameters = table.Columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.Prepare();
        var n = 0;
        foreach (var row in rows)
        {
            var values = table.Values(row);
            for (var i = 0; i < values.Length; i++) parameters[i].Value = ToSqlite(values[i]);
            command.ExecuteNonQuery();
            if (++n % Batch == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                command.Transaction = transaction;
            }
        }
        transaction.Commit();
        transaction.Dispose();
    }

    public Task FinishAsync(CancellationToken ct) => Task.CompletedTask;

    // EF's SQLite provider stores DateTimeOffset as ISO text with offset; keep the same form.
    private static object ToSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime d => new DateTimeOffset(d, TimeSpan.Zero).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        _ => value,
    };

    private static async Task Exec(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}

/// <summary>PostgreSQL: binary COPY per table, then ANALYZE (autovacuum would, a minute later) and the identity
/// sequences moved past the loaded ids so the archive can keep inserting.</summary>
internal sealed class PostgresBulkLoader(string connectionString) : IBulkLoader
{
    // COPY of a million rows (foreign keys checked, five indexes maintained) takes minutes on a busy machine: no timeout.
    private readonly string connectionString = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString;

    private readonly List<string> _tables = [];

    public async Task LoadAsync<TRow>(TableSpec<TRow> table, IEnumerable<TRow> rows, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var copy = $"COPY \"{table.Table}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, ct).ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct).ConfigureAwait(false);
                foreach (var value in table.Values(row))
                {
                    switch (value)
                    {
                        case null: await importer.WriteNullAsync(ct).ConfigureAwait(false); break;
                        case string s: await importer.WriteAsync(s, NpgsqlDbType.Text, ct).ConfigureAwait(false); break;
                        case long l: await importer.WriteAsync(l, NpgsqlDbType.Bigint, ct).ConfigureAwait(false); break;
                        case int i: await importer.WriteAsync(i, NpgsqlDbType.Integer, ct).ConfigureAwait(false); break;
                        case bool b: await importer.WriteAsync(b, NpgsqlDbType.Boolean, ct).ConfigureAwait(false); break;
                        case DateTime d: await importer.WriteAsync(d, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false); break;
                        default: throw new UnreachableException($"no COPY mapping for {value.GetType().Name}");
                    }
                }
            }
            await importer.CompleteAsync(ct).ConfigureAwait(false);
        }
        _tables.Add(table.Table);
    }

    public async Task FinishAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var table in _tables.Distinct())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT max("Id") FROM "{table}"))
                WHERE pg_get_serial_sequence('"{table}"', 'Id') IS NOT NULL;
                ANALYZE "{table}";
                """;
            try
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedColumn)
            {
                // A table without an "Id" column (StudyShares): analyse only.
                await using var analyse = connection.CreateCommand();
                analyse.CommandText = $"ANALYZE \"{table}\"";
                await analyse.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
