using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>The folder index built by scanning what an SCP stored before (a restart), and its computed attributes.</summary>
public sealed class FolderInstanceIndexTests(QueryScp scp) : IClassFixture<QueryScp>
{
    [Fact]
    public async Task A_fresh_scan_of_the_store_indexes_every_instance_and_counts_per_level()
    {
        var index = new FolderInstanceIndex(scp.Directory);
        File.WriteAllText(Path.Combine(scp.Directory, "not-dicom.dcm"), "hello"); // skipped, not fatal
        try
        {
            Assert.Equal(QueryScp.SampleNames.Length, index.Scan());
        }
        finally
        {
            File.Delete(Path.Combine(scp.Directory, "not-dicom.dcm"));
        }
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "PATIENT");
        identifier.AddOrUpdate(QueryLevels.PatientId, DicomVR.LO, "");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x1200), DicomVR.IS, "");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x1204), DicomVR.IS, "");
        var patients = new List<DicomDataset>();
        await foreach (var p in index.FindAsync(QueryLevel.Patient, identifier, new MatchingOptions(), default)) patients.Add(p);
        var expected = scp.Headers.GroupBy(h => h.GetString(QueryLevels.PatientId) ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), patients.Select(p => p.GetString(QueryLevels.PatientId) ?? "").Order(StringComparer.Ordinal));
        foreach (var p in patients)
        {
            Assert.Equal(expected[p.GetString(QueryLevels.PatientId) ?? ""].ToString(System.Globalization.CultureInfo.InvariantCulture), p.GetString(new DicomTag(0x0020, 0x1204)));
        }

        var instances = new List<StoredInstance>();
        var study = new DicomDataset();
        study.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
        study.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, scp.Uid(3));
        await foreach (var i in index.ResolveAsync(QueryLevel.Study, study, new MatchingOptions(), default)) instances.Add(i);
        var mr = Assert.Single(instances);
        Assert.Equal(scp.Headers[3].GetString(QueryLevels.SopInstanceUid), mr.SopInstanceUid);
        Assert.True(File.Exists(mr.Path));
    }
}
