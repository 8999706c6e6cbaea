using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.ArchiveScale;

// radbridge-archivescale: fills a fresh archive index with synthetic rows (default 20,000 studies × 5 series × 10
// instances = 1,000,000 instances) on SQLite and/or PostgreSQL, then times QIDO-style searches through the archive's
// query engine and writes a markdown table. Driven by bench/archive-scale.sh.
//
//   radbridge-archivescale [--sqlite DIR] [--pg CONNSTRING] [--studies N] [--series N] [--instances N] [--runs N]
//                          [--out report.md] [--sql-out queries.sql]

var options = Options.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync("usage: radbridge-archivescale [--sqlite DIR] [--pg CONNSTRING] [--studies N] [--series N] [--instances N] [--runs N] [--out FILE] [--sql-out FILE]").ConfigureAwait(false);
    return 2;
}

var ct = CancellationToken.None;
var sw = Stopwatch.StartNew();
var index = new SyntheticIndex(options.Studies, options.SeriesPerStudy, options.InstancesPerSeries, seed: 1187);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"synthetic archive: {index.Patients.Count:N0} patients, {index.Studies.Count:N0} studies, {index.SeriesCount:N0} series, {index.InstanceCount:N0} instances, {index.Shares.Count:N0} shares ({sw.ElapsedMilliseconds} ms)"));
var kinds = QueryLatencies.Kinds(index);

var backends = new List<BackendResult>();
if (options.SqliteDirectory is { } dir)
{
    if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any()) throw new InvalidOperationException($"{dir} is not empty: the scale test needs a fresh data directory");
    var location = new ArchiveLocation(dir);
    backends.Add(await RunAsync("SQLite", location, new SqliteBulkLoader(location.SqlitePath)).ConfigureAwait(false));
}
if (options.PostgresConnectionString is { } pg)
{
    var scaleDb = await FreshDatabaseAsync(pg).ConfigureAwait(false);
    var location = new ArchiveLocation(Path.Combine(Path.GetTempPath(), "radbridge-scale-pg-" + Guid.NewGuid().ToString("N")), scaleDb);
    try
    {
        backends.Add(await RunAsync("PostgreSQL", location, new PostgresBulkLoader(scaleDb)).ConfigureAwait(false));
    }
    finally
    {
        Directory.Delete(location.DataDirectory, recursive: true);
    }
}
if (backends.Count == 0)
{
    await Console.Error.WriteLineAsync("error: give --sqlite DIR and/or --pg CONNSTRING").ConfigureAwait(false);
    return 2;
}

var report = Report.Markdown(index, options, backends);
Console.WriteLine();
Console.WriteLine(report);
if (options.Out is { } outFile) await File.WriteAllTextAsync(outFile, report, ct).ConfigureAwait(false);
if (options.SqlOut is { } sqlFile)
{
    var sql = new StringBuilder();
    foreach (var backend in backends)
    {
        foreach (var (name, text) in backend.Sql) sql.Append(CultureInfo.InvariantCulture, $"-- {backend.Name}: {name}\n{text}\n\n");
    }
    await File.WriteAllTextAsync(sqlFile, sql.ToString(), ct).ConfigureAwait(false);
}
return 0;

async Task<BackendResult> RunAsync(string name, ArchiveLocation location, IBulkLoader loader)
{
    Console.WriteLine($"== {name}");
    await ArchiveDatabase.EnsureSchemaAsync(location, ct).ConfigureAwait(false);
    await using (var db = ArchiveDatabase.Open(location))
    {
        var now = DateTimeOffset.UtcNow;
        db.Organizations.Add(new Organization { Name = "Scale Centre Hospital", IsCentre = true, CreatedAt = now });
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.Organizations.Add(new Organization { Name = "Scale Clinic", CreatedAt = now });
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var ids = db.Organizations.OrderBy(o => o.Id).Select(o => o.Id).ToList();
        if (ids is not [SyntheticIndex.CentreId, SyntheticIndex.ClinicId]) throw new InvalidOperationException($"expected organisation ids 1 and 2 in a fresh index, got {string.Join(", ", ids)}");
    }
    IndexTables tables;
    await using (var db = ArchiveDatabase.Open(location)) tables = new IndexTables(db, DateTime.UtcNow);
    var load = Stopwatch.StartNew();
    await loader.LoadAsync(tables.Patients, index.Patients, ct).ConfigureAwait(false);
    await loader.LoadAsync(tables.Studies, index.Studies, ct).ConfigureAwait(false);
    await loader.LoadAsync(tables.Series, index.AllSeries(), ct).ConfigureAwait(false);
    var beforeInstances = load.Elapsed;
    await loader.LoadAsync(tables.Instances, index.AllInstances(), ct).ConfigureAwait(false);
    var instancesTime = load.Elapsed - beforeInstances;
    await loader.LoadAsync(tables.Shares, index.Shares, ct).ConfigureAwait(false);
    await loader.FinishAsync(ct).ConfigureAwait(false);
    load.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  loaded in {load.Elapsed.TotalSeconds:F1} s (instances: {index.InstanceCount / instancesTime.TotalSeconds:N0} rows/s)"));
    var sizeMb = location.UsesPostgres ? await PostgresSizeMbAsync(location.DatabaseConnectionString!).ConfigureAwait(false)
        : new FileInfo(location.SqlitePath).Length / 1e6;
    var latencies = await QueryLatencies.MeasureAsync(location, kinds, options.Runs, Console.Out, ct).ConfigureAwait(false);
    return new BackendResult(name, load.Elapsed, index.InstanceCount / instancesTime.TotalSeconds, sizeMb, latencies, [.. QueryLatencies.Sql(location, kinds)]);
}

static async Task<string> FreshDatabaseAsync(string connectionString)
{
    var builder = new NpgsqlConnectionStringBuilder(connectionString);
    var name = "radbridge_scale";
    await using (var admin = new NpgsqlConnection(connectionString))
    {
        await admin.OpenAsync().ConfigureAwait(false);
        await using var command = admin.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0;";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
    builder.Database = name;
    return builder.ConnectionString;
}

static async Task<double> PostgresSizeMbAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync().ConfigureAwait(false);
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT pg_database_size(current_database())";
    return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture) / 1e6;
}
