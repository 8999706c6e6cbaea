using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Query;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Tests.Query;

/// <summary>
/// An archive filled once, through the real ingest, with <see cref="QueryCorpus"/>: clinic A's studies, clinic B's, and
/// B's study S7 shared with A. Also a folder holding exactly the files clinic A may see, for the
/// <see cref="FolderInstanceIndex"/> oracle. The database provider is the subclass's choice: SQLite, or a fresh
/// PostgreSQL database on the cluster of <c>RADBRIDGE_TEST_PG</c>.
/// </summary>
public abstract class QueryArchiveFixture : IAsyncLifetime
{
    private string _corpus = "";

    private protected abstract TestArchive.IndexProvider Provider { get; }

    internal TestArchive Archive { get; private set; } = null!;
    public ArchiveQueryService Service { get; private set; } = null!;
    public ArchiveCaller ClinicA { get; private set; } = null!;
    public ArchiveCaller ClinicB { get; private set; } = null!;
    public ArchiveCaller AuditorA { get; private set; } = null!;

    /// <summary>The files of every study clinic A sees (its own and the one shared with it).</summary>
    public string VisibleToA { get; private set; } = "";
    public IDbContextFactory<ArchiveDbContext> Contexts => Archive.Contexts;

    public async Task InitializeAsync()
    {
        Archive = await TestArchive.CreateAsync(Provider);
        _corpus = Directory.CreateTempSubdirectory("rb-query-corpus-").FullName;
        VisibleToA = Path.Combine(_corpus, "visible-to-A");
        Directory.CreateDirectory(VisibleToA);
        foreach (var (study, path) in QueryCorpus.Write(_corpus))
        {
            var result = await Archive.StoreAsync(path, study.Org == "A" ? Archive.ClinicA : Archive.ClinicB);
            Assert.True(result.Succeeded, result.Problem);
            if (study.Org == "A" || study.Key == "S7") File.Copy(path, Path.Combine(VisibleToA, Path.GetFileName(path)));
        }
        await using (var db = Archive.Open())
        {
            var s7 = await db.Studies.SingleAsync(s => s.StudyInstanceUid == QueryCorpus.StudyUid("S7"));
            db.StudyShares.Add(new StudyShare { StudyId = s7.Id, OrganizationId = Archive.ClinicA, SharedAt = DateTimeOffset.UtcNow, SharedBy = "test" });
            await db.SaveChangesAsync();
        }
        ClinicA = new ArchiveCaller("reader-a", Archive.ClinicA, ArchiveRoles.Radiologist, "DICOMweb", null);
        ClinicB = new ArchiveCaller("reader-b", Archive.ClinicB, ArchiveRoles.Radiologist, "DICOMweb", null);
        AuditorA = new ArchiveCaller("auditor-a", Archive.ClinicA, ArchiveRoles.Auditor, "DICOMweb", null);
        Service = new ArchiveQueryService(Archive.Ingest.Store, (study, series, sop) =>
            "http://archive.test/dicomweb/studies/" + study + (series is null ? "" : "/series/" + series) + (sop is null ? "" : "/instances/" + sop));
    }

    public async Task<QueryResult> FindAsync(ArchiveCaller caller, IndexQuery query)
    {
        await using var db = Archive.Open();
        return await Service.FindAsync(db, caller, query);
    }

    /// <summary>A QIDO search as the HTTP layer would hand it over: "name=value&amp;…" (no URL encoding needed in tests).</summary>
    public Task<QueryResult> QidoAsync(ArchiveCaller caller, QueryLevel level, string parameters, string? study = null, string? series = null) =>
        FindAsync(caller, QidoQueryParser.Parse(level, Pairs(parameters), study, series));

    public static IEnumerable<KeyValuePair<string, string>> Pairs(string parameters) =>
        parameters.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? new KeyValuePair<string, string>(p, "") : new KeyValuePair<string, string>(p[..eq], p[(eq + 1)..]);
        });

    public async Task DisposeAsync()
    {
        await Archive.DisposeAsync();
        Directory.Delete(_corpus, recursive: true);
    }
}

/// <summary>The query fixture on SQLite (the default index).</summary>
public sealed class SqliteQueryArchiveFixture : QueryArchiveFixture
{
    private protected override TestArchive.IndexProvider Provider => TestArchive.IndexProvider.Sqlite;
}

/// <summary>The query fixture on PostgreSQL.</summary>
public sealed class PostgresQueryArchiveFixture : QueryArchiveFixture
{
    private protected override TestArchive.IndexProvider Provider => TestArchive.IndexProvider.Postgres;
}
