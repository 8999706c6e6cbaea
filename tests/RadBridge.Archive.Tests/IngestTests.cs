using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Ingest;

namespace RadBridge.Archive.Tests;

/// <summary>The ingest scenarios, run on each index provider by the derived classes at the end of this file.</summary>
public abstract class IngestTests
{
    private protected abstract TestArchive.IndexProvider Provider { get; }

    private Task<TestArchive> NewArchiveAsync(DuplicatePolicy duplicates = DuplicatePolicy.Reject) => TestArchive.CreateAsync(Provider, duplicates);

    [Fact]
    public async Task Stored_instance_is_in_place_and_indexed_with_its_attributes()
    {
        await using var archive = await NewArchiveAsync();
        var sample = TestPaths.Sample("CT_small.dcm");
        var result = await archive.StoreAsync(sample, archive.ClinicA);
        Assert.Equal(IngestOutcome.Stored, result.Outcome);

        await using var db = archive.Open();
        var instance = await db.Instances.SingleAsync();
        var study = await db.Studies.SingleAsync();
        var expected = DicomFile.Open(sample).Dataset;
        Assert.Equal(expected.GetString(DicomTags.SOPInstanceUID), instance.SopInstanceUid);
        Assert.Equal(expected.GetString(DicomTags.StudyInstanceUID), study.StudyInstanceUid);
        Assert.Equal(archive.ClinicA, study.OrganizationId);
        Assert.Equal(1, study.NumberOfInstances);
        Assert.Equal(1, study.NumberOfSeries);
        var stored = archive.Ingest.Store.FullPath(instance.StoragePath);
        Assert.Equal(await File.ReadAllBytesAsync(sample), await File.ReadAllBytesAsync(stored));
        Assert.Empty(Directory.GetFiles(archive.Location.TempDirectory));
        Assert.Contains(archive.Audit.Events, e => e.Action == "store" && e.SopInstanceUid == instance.SopInstanceUid && e.Outcome == "success");
    }

    [Fact]
    public async Task Identical_resend_succeeds_without_a_second_copy_and_a_different_one_is_refused()
    {
        await using var archive = await NewArchiveAsync();
        var sample = TestPaths.Sample("CT_small.dcm");
        Assert.Equal(IngestOutcome.Stored, (await archive.StoreAsync(sample, archive.ClinicA)).Outcome);
        Assert.Equal(IngestOutcome.AlreadyStored, (await archive.StoreAsync(sample, archive.ClinicA)).Outcome);

        var changed = Path.Combine(archive.Location.DataDirectory, "changed.dcm");
        var file = DicomFile.Open(sample);
        file.Dataset.AddOrUpdate(DicomTags.StudyDescription, "changed");
        file.Save(changed);
        var conflict = await archive.StoreAsync(changed, archive.ClinicA);
        Assert.Equal(IngestOutcome.Conflict, conflict.Outcome);
        Assert.Contains("different content", conflict.Problem, StringComparison.Ordinal);

        await using var db = archive.Open();
        Assert.Equal(1, await db.Instances.CountAsync());
    }

    [Fact]
    public async Task Keep_newest_replaces_and_keeps_the_old_file_in_quarantine()
    {
        await using var archive = await NewArchiveAsync(DuplicatePolicy.KeepNewest);
        var sample = TestPaths.Sample("CT_small.dcm");
        await archive.StoreAsync(sample, archive.ClinicA);
        var changed = Path.Combine(archive.Location.DataDirectory, "changed.dcm");
        var file = DicomFile.Open(sample);
        file.Dataset.AddOrUpdate(DicomTags.StudyDescription, "changed");
        file.Save(changed);
        Assert.Equal(IngestOutcome.Replaced, (await archive.StoreAsync(changed, archive.ClinicA)).Outcome);

        await using var db = archive.Open();
        var instance = await db.Instances.SingleAsync();
        Assert.Equal("changed", DicomFile.Open(archive.Ingest.Store.FullPath(instance.StoragePath)).Dataset.GetString(DicomTags.StudyDescription));
        Assert.Single(Directory.GetFiles(Path.Combine(archive.Location.QuarantineDirectory, "replaced")));
        Assert.Equal(1, (await db.Studies.SingleAsync()).NumberOfInstances);
    }

    [Fact]
    public async Task A_study_of_another_organisation_cannot_be_added_to()
    {
        await using var archive = await NewArchiveAsync();
        await archive.StoreAsync(TestPaths.Sample("CT_small.dcm"), archive.ClinicA);
        var other = Path.Combine(archive.Location.DataDirectory, "other.dcm");
        var file = DicomFile.Open(TestPaths.Sample("CT_small.dcm"));
        file.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4.5.6.7.8.9");
        file.Save(other);
        var result = await archive.StoreAsync(other, archive.ClinicB);
        Assert.Equal(IngestOutcome.Forbidden, result.Outcome);
        await using var db = archive.Open();
        Assert.Equal(1, await db.Instances.CountAsync());
    }

    [Fact]
    public async Task Missing_uids_and_garbage_are_refused_with_the_reason()
    {
        await using var archive = await NewArchiveAsync();
        var garbage = Path.Combine(archive.Location.DataDirectory, "garbage.dcm");
        await File.WriteAllTextAsync(garbage, "not dicom at all");
        var result = await archive.StoreAsync(garbage, archive.ClinicA);
        Assert.Equal(IngestOutcome.Invalid, result.Outcome);

        var noStudy = Path.Combine(archive.Location.DataDirectory, "nostudy.dcm");
        var file = DicomFile.Open(TestPaths.Sample("CT_small.dcm"));
        file.Dataset.Remove(DicomTags.StudyInstanceUID);
        file.Save(noStudy);
        var missing = await archive.StoreAsync(noStudy, archive.ClinicA);
        Assert.Equal(IngestOutcome.Invalid, missing.Outcome);
        Assert.Contains("Study Instance UID", missing.Problem, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(archive.Location.TempDirectory));
    }

    [Fact]
    public async Task Parallel_ingest_of_one_series_is_group_committed_consistently()
    {
        await using var archive = await NewArchiveAsync();
        var source = DicomFile.Open(TestPaths.Sample("CT_small.dcm"));
        var files = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            source.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, $"1.2.826.0.1.3680043.2.1143.{i + 1}");
            source.Dataset.AddOrUpdate(DicomTags.InstanceNumber, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var path = Path.Combine(archive.Location.DataDirectory, $"in{i}.dcm");
            source.Save(path);
            files.Add(path);
        }
        var results = await Task.WhenAll(files.Select(f => archive.StoreAsync(f, archive.ClinicA)));
        Assert.All(results, r => Assert.Equal(IngestOutcome.Stored, r.Outcome));
        await using var db = archive.Open();
        Assert.Equal(40, await db.Instances.CountAsync());
        var study = await db.Studies.SingleAsync();
        Assert.Equal(40, study.NumberOfInstances);
        Assert.Equal(1, study.NumberOfSeries);
        Assert.Equal(40, (await db.Series.SingleAsync()).NumberOfInstances);
    }
}

public sealed class SqliteIngestTests : IngestTests
{
    private protected override TestArchive.IndexProvider Provider => TestArchive.IndexProvider.Sqlite;
}

/// <summary>The same scenarios on PostgreSQL: a fresh database per test on the cluster of <c>RADBRIDGE_TEST_PG</c>.</summary>
public sealed class PostgresIngestTests : IngestTests
{
    private protected override TestArchive.IndexProvider Provider => TestArchive.IndexProvider.Postgres;
}
