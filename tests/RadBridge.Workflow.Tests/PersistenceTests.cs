using Microsoft.EntityFrameworkCore;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Tests.Shared;
using RadBridge.Workflow.Notifications;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Sla;

namespace RadBridge.Workflow.Tests;

/// <summary>
/// The workflow's tables in the archive's database, on SQLite and on PostgreSQL (RADBRIDGE_TEST_PG): round trips,
/// the worklist's query by due time, and the optimistic concurrency that makes one of two simultaneous claims fail.
/// </summary>
public abstract class PersistenceTests : IAsyncLifetime
{
    private PostgresTestDatabase? _database;
    private string _directory = "";
    private ArchiveLocation _location = null!;
    private int _clinic;
    private int _centre;
    private long _study;

    private protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rb-workflow-" + Guid.NewGuid().ToString("N"));
        if (Postgres) _database = await PostgresTestDatabase.CreateAsync();
        _location = new ArchiveLocation(_directory, _database?.ConnectionString);
        await ArchiveDatabase.EnsureSchemaAsync(_location);
        await using var db = ArchiveDatabase.Open(_location);
        var clinic = new Organization { Name = "Clinic", CreatedAt = DateTimeOffset.UtcNow };
        var centre = new Organization { Name = "Centre", IsCentre = true, CreatedAt = DateTimeOffset.UtcNow };
        db.Organizations.AddRange(clinic, centre);
        await db.SaveChangesAsync();
        var patient = new PatientRecord { OrganizationId = clinic.Id, PatientId = "P1", PatientName = "Zhang^San" };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        var study = new StudyRecord { OrganizationId = clinic.Id, PatientRecordId = patient.Id, StudyInstanceUid = "1.2.3.4.5", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        (_clinic, _centre, _study) = (clinic.Id, centre.Id, study.Id);
    }

    public async Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null) await _database.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless.
        }
    }

    private ReadRequest New(ReadPriority priority, DateTimeOffset at) =>
        ReadRequest.Create(Requests.Clinic, _study, "1.2.3.4.5", _clinic, _centre,
            new ReadRequestDraft(priority, "肺结节？", "咳嗽两周", "CHEST", "CT", null, ["1.2.3.9"]), new SlaPolicy(), at);

    [Fact]
    public async Task A_request_and_its_report_versions_round_trip()
    {
        var r = New(ReadPriority.Stat, Requests.T0);
        r.Claim(Requests.Reader, Requests.T0.AddMinutes(1));
        var v1 = r.SaveDraft(Requests.Reader, Requests.Report(), null, Requests.T0.AddMinutes(2));
        await using (var db = ArchiveDatabase.Open(_location))
        {
            db.ReadRequests.Add(r);
            db.ReportVersions.Add(v1);
            await db.SaveChangesAsync();
        }

        await using (var db = ArchiveDatabase.Open(_location))
        {
            var loaded = await db.ReadRequests.SingleAsync(x => x.Id == r.Id);
            Assert.Equal(ReadRequestStatus.InReading, loaded.Status);
            Assert.Equal("rad", loaded.Assignee);
            Assert.Equal(Requests.T0.AddMinutes(30), loaded.DueAt);
            Assert.Equal(TimeSpan.Zero, loaded.DueAt.Offset);
            Assert.Equal(["1.2.3.9"], loaded.PriorStudies);
            Assert.Equal("肺结节？", loaded.ClinicalQuestion);
            var version = await db.ReportVersions.SingleAsync(x => x.ReadRequestId == r.Id);
            Assert.Equal(1, version.Version);
            Assert.Equal(Requests.Report().Findings, version.Findings);
            Assert.True(version.Critical);
        }
    }

    [Fact]
    public async Task The_worklist_filters_and_sorts_by_due_time_in_the_database()
    {
        var routine = New(ReadPriority.Routine, Requests.T0);
        var stat = New(ReadPriority.Stat, Requests.T0.AddMinutes(10));
        var urgent = New(ReadPriority.Urgent, Requests.T0.AddMinutes(5));
        await using (var db = ArchiveDatabase.Open(_location))
        {
            db.ReadRequests.AddRange(routine, stat, urgent);
            await db.SaveChangesAsync();
        }

        await using (var db = ArchiveDatabase.Open(_location))
        {
            var due = Requests.T0.AddHours(3);
            var ids = await db.ReadRequests
                .Where(x => x.CentreOrganizationId == _centre && x.Status == ReadRequestStatus.Requested && x.DueAt < due)
                .OrderBy(x => x.DueAt).Select(x => x.Id).ToListAsync();
            Assert.Equal([stat.Id, urgent.Id], ids);
        }
    }

    [Fact]
    public async Task Of_two_simultaneous_claims_one_fails_on_the_revision()
    {
        var r = New(ReadPriority.Urgent, Requests.T0);
        await using (var db = ArchiveDatabase.Open(_location))
        {
            db.ReadRequests.Add(r);
            await db.SaveChangesAsync();
        }

        await using var first = ArchiveDatabase.Open(_location);
        await using var second = ArchiveDatabase.Open(_location);
        var a = await first.ReadRequests.AsTracking().SingleAsync(x => x.Id == r.Id);
        var b = await second.ReadRequests.AsTracking().SingleAsync(x => x.Id == r.Id);
        a.Claim(Requests.Reader, Requests.T0.AddMinutes(1));
        b.Claim(Requests.OtherReader, Requests.T0.AddMinutes(1));
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        await using var check = ArchiveDatabase.Open(_location);
        Assert.Equal("rad", (await check.ReadRequests.SingleAsync(x => x.Id == r.Id)).Assignee);
    }

    [Fact]
    public async Task Deleting_the_study_takes_its_requests_and_notifications_along()
    {
        var r = New(ReadPriority.Urgent, Requests.T0);
        await using (var db = ArchiveDatabase.Open(_location))
        {
            db.ReadRequests.Add(r);
            db.WorkflowNotifications.Add(new WorkflowNotification { ReadRequestId = r.Id, OrganizationId = _centre, Kind = NotificationKinds.SlaBreached, Message = "late", CreatedAt = Requests.T0 });
            await db.SaveChangesAsync();
            await db.Studies.Where(s => s.Id == _study).ExecuteDeleteAsync();
        }
        await using var check = ArchiveDatabase.Open(_location);
        Assert.False(await check.ReadRequests.AnyAsync());
        Assert.False(await check.WorkflowNotifications.AnyAsync());
    }
}

public sealed class SqlitePersistenceTests : PersistenceTests
{
    private protected override bool Postgres => false;
}

public sealed class PostgresPersistenceTests : PersistenceTests
{
    private protected override bool Postgres => true;
}
