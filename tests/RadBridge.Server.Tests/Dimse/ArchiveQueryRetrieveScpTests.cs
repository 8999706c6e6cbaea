using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests.Dimse;

/// <summary>
/// findscu, movescu and getscu (DCMTK) and storage commitment against the archive SCP, per organisation: what one
/// organisation's AE stored is found, moved, retrieved and committed for it, and for another organisation's AE it does
/// not exist.
/// </summary>
public sealed class ArchiveQueryRetrieveScpTests : IAsyncLifetime
{
    private ServerProcess _server = null!;
    private int _orgA;
    private string _work = "";
    private StoreSource _ct = null!;
    private StoreSource _mr = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        _orgA = await _server.AddOrganizationAsync("Clinic A");
        var orgB = await _server.AddOrganizationAsync("Clinic B");
        await _server.AddAeAsync(_orgA, "CLINIC_A");
        await _server.AddAeAsync(orgB, "CLINIC_B");
        _work = Directory.CreateTempSubdirectory("rb-archive-qr-").FullName;
        _ct = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
        _mr = StoreSource.Open(TestPaths.Sample("MR_small.dcm"));
        var stored = await _server.StoreAsync("CLINIC_A", [_ct.Path, _mr.Path]);
        Assert.True(stored.ExitCode == 0, stored.ToString());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Findscu_finds_the_organisations_studies_and_nothing_for_another_organisation()
    {
        var own = await FindStudiesAsync("CLINIC_A");
        Assert.Equal(2, own.Count);
        Assert.Contains(own, d => d.GetString(new DicomTag(0x0020, 0x000D)) == StudyOf(_ct));
        Assert.Empty(await FindStudiesAsync("CLINIC_B"));
    }

    [Fact]
    public async Task Movescu_moves_to_a_registered_ae_of_the_same_organisation_only()
    {
        using var destination = new Dcmtk.StoreScp("+B");
        await _server.RegisterAeAsync(_orgA, "STORESCP", "127.0.0.1", destination.Port);
        var move = await MoveAsync("CLINIC_A", "STORESCP", StudyOf(_ct));
        Assert.True(move.ExitCode == 0, move.ToString());
        var received = Assert.Single(Directory.GetFiles(destination.Directory));
        var expected = await StoredDataSetAsync(_ct);
        Assert.True(ArchiveScpSupport.DataSetBytes(received).Span.SequenceEqual(expected));

        // Not registered at all, and registered to another organisation: A801, move destination unknown.
        var unknown = await MoveAsync("CLINIC_A", "NOWHERE", StudyOf(_ct));
        Assert.Contains("MoveDestinationUnknown", unknown.Output, StringComparison.Ordinal);
        using var foreignDestination = new Dcmtk.StoreScp();
        var orgC = await _server.AddOrganizationAsync("Clinic C");
        await _server.RegisterAeAsync(orgC, "FOREIGN", "127.0.0.1", foreignDestination.Port);
        var foreign = await MoveAsync("CLINIC_A", "FOREIGN", StudyOf(_ct));
        Assert.Contains("MoveDestinationUnknown", foreign.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(foreignDestination.Directory));

        // Another organisation's AE moving org A's study to its own registered destination moves nothing.
        using var bDestination = new Dcmtk.StoreScp();
        var orgB = await OrganizationOfAsync("CLINIC_B");
        await _server.RegisterAeAsync(orgB, "B_VIEWER", "127.0.0.1", bDestination.Port);
        var leak = await MoveAsync("CLINIC_B", "B_VIEWER", StudyOf(_ct));
        Assert.True(leak.ExitCode == 0, leak.ToString());
        Assert.Empty(Directory.GetFiles(bDestination.Directory));
    }

    [Fact]
    public async Task Getscu_retrieves_the_organisations_study_and_nothing_for_another_organisation()
    {
        var own = Directory.CreateDirectory(Path.Combine(_work, "get-a")).FullName;
        var get = await GetAsync("CLINIC_A", StudyOf(_mr), own, "+B");
        Assert.True(get.ExitCode == 0, get.ToString());
        var received = Assert.Single(Directory.GetFiles(own));
        var expected = await StoredDataSetAsync(_mr);
        Assert.True(ArchiveScpSupport.DataSetBytes(received).Span.SequenceEqual(expected));

        var foreign = Directory.CreateDirectory(Path.Combine(_work, "get-b")).FullName;
        await GetAsync("CLINIC_B", StudyOf(_mr), foreign);
        Assert.Empty(Directory.GetFiles(foreign));
    }

    [Fact]
    public async Task Storage_commitment_commits_what_the_organisation_stored_and_nothing_for_another()
    {
        CommitmentItem[] items = [new(_ct.SopClassUid, _ct.SopInstanceUid), new(_mr.SopClassUid, _mr.SopInstanceUid), new(_ct.SopClassUid, "1.2.3.4.5.6.7")];
        var own = await CommitAsync("CLINIC_A", items);
        Assert.Equal(new[] { _ct.SopInstanceUid, _mr.SopInstanceUid }.Order(StringComparer.Ordinal), own.Committed.Select(c => c.SopInstanceUid).Order(StringComparer.Ordinal));
        Assert.Equal(StorageCommitment.NoSuchObjectInstance, Assert.Single(own.Failed).FailureReason);

        var foreign = await CommitAsync("CLINIC_B", items);
        Assert.Empty(foreign.Committed);
        Assert.All(foreign.Failed, f => Assert.Equal(StorageCommitment.NoSuchObjectInstance, f.FailureReason));

        // A stored file that is no longer intact on disk is not committed.
        var stored = (await _server.FindStoredAsync(_mr.SopInstanceUid))!.Value.Path;
        await File.AppendAllTextAsync(stored, "x");
        var damaged = await CommitAsync("CLINIC_A", items);
        Assert.Equal(_ct.SopInstanceUid, Assert.Single(damaged.Committed).SopInstanceUid);
    }

    private async Task<StorageCommitmentResult> CommitAsync(string callingAe, CommitmentItem[] items)
    {
        var association = await DicomClient.ConnectAsync("127.0.0.1", _server.DicomPort,
            new DicomClientOptions { CallingAeTitle = callingAe, CalledAeTitle = _server.AeTitle },
            new PresentationContextProposal().Add(StorageCommitment.SopClassUid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
        await using (association)
        {
            var result = await association.CommitAsync(items, TimeSpan.FromSeconds(30));
            await association.ReleaseAsync();
            return result;
        }
    }

    private async Task<List<DicomDataset>> FindStudiesAsync(string callingAe)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_work, "find-" + Guid.NewGuid().ToString("N"))).FullName;
        var result = await Dcmtk.RunAsync("findscu", ["-S", "-X", "-od", dir, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "-k", "PatientName",
            "-aet", callingAe, "-aec", _server.AeTitle, "127.0.0.1", _server.Port()]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. Directory.GetFiles(dir).Select(f => DicomFile.Open(f).Dataset)];
    }

    private Task<Dcmtk.Result> MoveAsync(string callingAe, string destination, string studyUid) =>
        Dcmtk.RunAsync("movescu", ["-S", "-aem", destination, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}",
            "-aet", callingAe, "-aec", _server.AeTitle, "127.0.0.1", _server.Port()]);

    private Task<Dcmtk.Result> GetAsync(string callingAe, string studyUid, string directory, params string[] extra) =>
        Dcmtk.RunAsync("getscu", [.. extra, "-S", "-od", directory, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={studyUid}",
            "-aet", callingAe, "-aec", _server.AeTitle, "127.0.0.1", _server.Port()]);

    // What the archive keeps (storescu may have re-encoded the sample on the way in), which a retrieve must deliver unchanged.
    private async Task<byte[]> StoredDataSetAsync(StoreSource sample) =>
        ArchiveScpSupport.DataSetBytes((await _server.FindStoredAsync(sample.SopInstanceUid))!.Value.Path).ToArray();

    private async Task<int> OrganizationOfAsync(string aeTitle)
    {
        await using var db = Archive.Index.ArchiveDatabase.Open(_server.Location);
        return db.RegisteredAes.Single(a => a.AeTitle == aeTitle).OrganizationId;
    }

    private static string StudyOf(StoreSource source) =>
        DicomFile.Open(source.Path, new DicomReadOptions { StopBeforePixelData = true }).Dataset.GetString(new DicomTag(0x0020, 0x000D))!;
}
