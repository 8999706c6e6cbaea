using Microsoft.EntityFrameworkCore;
using RadBridge.Archive;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests;

/// <summary>
/// Puts instances into a server's data directory from the test process, through the archive's own ingest (the same
/// checks, files and index rows a C-STORE or STOW would produce), so DICOMweb reads can be tested on their own. The
/// index is SQLite in WAL mode, so this works before the server starts and while it runs.
/// </summary>
public sealed class ArchiveSeeder : IAsyncDisposable
{
    private readonly ArchiveIngest _ingest;

    private ArchiveSeeder(ArchiveLocation location, ArchiveIngest ingest)
    {
        Location = location;
        _ingest = ingest;
    }

    public ArchiveLocation Location { get; }

    /// <summary>Opens the archive at <paramref name="location"/> (creating its schema when new).</summary>
    public static async Task<ArchiveSeeder> OpenAsync(ArchiveLocation location, DuplicatePolicy duplicates = DuplicatePolicy.Reject)
    {
        ArgumentNullException.ThrowIfNull(location);
        await ArchiveDatabase.EnsureSchemaAsync(location);
        location.EnsureDirectories();
        return new ArchiveSeeder(location, new ArchiveIngest(location, new ArchiveContextFactory(location), new DiscardAudit(), duplicates));
    }

    /// <summary>Copies <paramref name="file"/> to the archive's temp directory, as a receiver would, and ingests it for the organisation.</summary>
    public async Task<IngestResult> StoreAsync(string file, int organizationId)
    {
        var temp = _ingest.NewTempPath();
        File.Copy(file, temp);
        return await _ingest.IngestAsync(temp, new IngestSource(organizationId, "seeder", "TEST", null), CancellationToken.None);
    }

    /// <summary>Shares a study with another organisation (as <c>admin share</c> does).</summary>
    public async Task ShareAsync(string studyUid, int organizationId)
    {
        await using var db = ArchiveDatabase.Open(Location);
        var id = await db.Studies.Where(s => s.StudyInstanceUid == studyUid).Select(s => s.Id).SingleAsync();
        db.StudyShares.Add(new StudyShare { StudyId = id, OrganizationId = organizationId, SharedAt = DateTimeOffset.UtcNow, SharedBy = "seeder" });
        await db.SaveChangesAsync();
    }

    public ArchiveDbContext OpenIndex() => ArchiveDatabase.Open(Location);

    public async ValueTask DisposeAsync() => await _ingest.DisposeAsync();

    private sealed class DiscardAudit : IAuditSink
    {
        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken ct = default) => ValueTask.CompletedTask;
    }
}
