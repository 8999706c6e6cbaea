using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Tenancy;
using RadBridge.Tests.Shared;

namespace RadBridge.Archive.Tests;

/// <summary>
/// A throwaway archive in a temp directory (SQLite, or the PostgreSQL of <c>RADBRIDGE_TEST_PG</c> when a test asks for
/// it) with two organisations, for tests of ingest and queries.
/// </summary>
internal sealed class TestArchive : IAsyncDisposable
{
    private PostgresTestDatabase? _database;

    private TestArchive(ArchiveLocation location, ArchiveIngest ingest, RecordingAudit audit, int clinicA, int clinicB, IDbContextFactory<ArchiveDbContext> contexts)
    {
        Contexts = contexts;
        Location = location;
        Ingest = ingest;
        Audit = audit;
        ClinicA = clinicA;
        ClinicB = clinicB;
    }

    public ArchiveLocation Location { get; }
    public ArchiveIngest Ingest { get; }
    public RecordingAudit Audit { get; }
    public int ClinicA { get; }
    public int ClinicB { get; }
    public IDbContextFactory<ArchiveDbContext> Contexts { get; }

    public static async Task<TestArchive> CreateAsync(DuplicatePolicy duplicates = DuplicatePolicy.Reject, string? connectionString = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rb-archive-" + Guid.NewGuid().ToString("N"));
        var location = new ArchiveLocation(dir, connectionString);
        await ArchiveDatabase.EnsureSchemaAsync(location);
        int a, b;
        await using (var db = ArchiveDatabase.Open(location))
        {
            var orgA = new Organization { Name = "Clinic A", CreatedAt = DateTimeOffset.UtcNow };
            var orgB = new Organization { Name = "Clinic B", CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.AddRange(orgA, orgB);
            await db.SaveChangesAsync();
            (a, b) = (orgA.Id, orgB.Id);
        }
        var audit = new RecordingAudit();
        var factory = new ArchiveContextFactory(location);
        var ingest = new ArchiveIngest(location, factory, audit, duplicates);
        return new TestArchive(location, ingest, audit, a, b, factory);
    }

    /// <summary>
    /// An archive whose index is SQLite or a fresh PostgreSQL database of its own (on the cluster of
    /// <c>RADBRIDGE_TEST_PG</c>, dropped on dispose), for tests that run on both.
    /// </summary>
    public static async Task<TestArchive> CreateAsync(IndexProvider provider, DuplicatePolicy duplicates = DuplicatePolicy.Reject)
    {
        if (provider == IndexProvider.Sqlite) return await CreateAsync(duplicates);
        var database = await PostgresTestDatabase.CreateAsync();
        try
        {
            var archive = await CreateAsync(duplicates, database.ConnectionString);
            archive._database = database;
            return archive;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Copies <paramref name="file"/> into the archive's temp directory (as a receiver would) and ingests it.</summary>
    public async Task<IngestResult> StoreAsync(string file, int organizationId)
    {
        var temp = Ingest.NewTempPath();
        File.Copy(file, temp);
        return await Ingest.IngestAsync(temp, new IngestSource(organizationId, "test", "TEST", null), CancellationToken.None);
    }

    public ArchiveDbContext Open() => ArchiveDatabase.Open(Location);

    public async ValueTask DisposeAsync()
    {
        await Ingest.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null) await _database.DisposeAsync();
        try
        {
            Directory.Delete(Location.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    public enum IndexProvider
    {
        Sqlite,
        Postgres,
    }
}
