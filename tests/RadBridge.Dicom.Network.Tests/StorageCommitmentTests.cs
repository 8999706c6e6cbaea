using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// Storage Commitment Push Model, our SCU against our SCP (DCMTK 3.6.7 ships no storage commitment tool to check
/// against): instances stored by C-STORE are reported committed, others failed with 0x0112.
/// </summary>
public sealed class StorageCommitmentTests : IAsyncLifetime
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("rb-commit-").FullName;
    private FolderInstanceIndex _index = null!;
    private DicomServer Server { get; set; } = null!;

    public Task InitializeAsync()
    {
        _index = new FolderInstanceIndex(_directory);
        var registry = new DimseServiceRegistry().AddVerification()
            .AddStorage(new FolderStoreHandler(_directory, p => _index.TryAdd(p)), new StorageScpOptions { TempDirectory = Path.Combine(_directory, ".incoming") })
            .AddStorageCommitment(_index);
        Server = new DicomServer(new DicomServerOptions { AeTitle = "COMMITSCP", AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown, ArtimTimeout = TimeSpan.FromSeconds(5) }, registry);
        Server.Start(0, System.Net.IPAddress.Loopback);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private async Task<DicomAssociation> ConnectAsync(IEnumerable<StoreSource> sources)
    {
        var proposal = StorageScu.Propose(sources).Add(StorageCommitment.SopClassUid, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2");
        return await DicomClient.ConnectAsync("127.0.0.1", Server.Port, new DicomClientOptions { CalledAeTitle = "COMMITSCP" }, proposal);
    }

    [Fact]
    public async Task Stored_instances_are_committed_unknown_ones_fail_with_0x0112_and_wrong_class_with_0x0119()
    {
        var sources = new[] { "CT_small.dcm", "MR_small.dcm" }.Select(n => StoreSource.Open(TestPaths.Sample(n))).ToList();
        var association = await ConnectAsync(sources);
        await using (association)
        {
            foreach (var s in sources) Assert.True((await association.StoreAsync(s)).IsSuccess);
            var unknown = new CommitmentItem(sources[0].SopClassUid, "1.2.3.4.5.6.7.8.9");
            var wrongClass = new CommitmentItem("1.2.840.10008.5.1.4.1.1.7", sources[1].SopInstanceUid);
            var stored = sources.Select(s => new CommitmentItem(s.SopClassUid, s.SopInstanceUid)).ToList();

            var result = await association.CommitAsync([.. stored, unknown, wrongClass], ReportTimeout);

            Assert.Equal(stored, result.Committed);
            Assert.Equal([new CommitmentFailure(unknown, StorageCommitment.NoSuchObjectInstance), new CommitmentFailure(wrongClass, StorageCommitment.ClassInstanceConflict)], result.Failed);
            Assert.Equal(0x0112, StorageCommitment.NoSuchObjectInstance);

            // The association is still usable after the report: a second transaction, all committed.
            var again = await association.CommitAsync(stored, ReportTimeout);
            Assert.Equal(stored, again.Committed);
            Assert.Empty(again.Failed);
            Assert.NotEqual(result.TransactionUid, again.TransactionUid);
            await association.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Instance_deleted_from_disk_after_storing_is_not_committed()
    {
        var source = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
        var association = await ConnectAsync([source]);
        await using (association)
        {
            Assert.True((await association.StoreAsync(source)).IsSuccess);
            foreach (var f in Directory.GetFiles(_directory, source.SopInstanceUid + ".dcm", SearchOption.AllDirectories)) File.Delete(f);
            var result = await association.CommitAsync([new CommitmentItem(source.SopClassUid, source.SopInstanceUid)], ReportTimeout);
            Assert.Empty(result.Committed);
            Assert.Equal(StorageCommitment.NoSuchObjectInstance, Assert.Single(result.Failed).FailureReason);
            await association.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Unknown_action_type_is_refused_with_0x0123()
    {
        var association = await DicomClient.ConnectAsync("127.0.0.1", Server.Port, new DicomClientOptions { CalledAeTitle = "COMMITSCP" },
            new PresentationContextProposal().Add(StorageCommitment.SopClassUid, "1.2.840.10008.1.2"));
        await using (association)
        {
            var context = association.FindContext(StorageCommitment.SopClassUid)!;
            var request = new DimseCommand
            {
                CommandField = DimseCommandField.NActionRequest,
                MessageId = association.NextMessageId(),
                RequestedSopClassUid = StorageCommitment.SopClassUid,
                RequestedSopInstanceUid = StorageCommitment.WellKnownInstanceUid,
                ActionTypeId = 7,
            };
            var statuses = new List<DimseStatus>();
            await foreach (var r in association.SendRequestAsync(context.Id, request, null)) statuses.Add(r.Status);
            Assert.Equal(0x0123, Assert.Single(statuses).Code);
            await association.ReleaseAsync();
        }
    }

    [Fact]
    public async Task N_action_without_transaction_uid_is_refused_with_0x0120()
    {
        var association = await DicomClient.ConnectAsync("127.0.0.1", Server.Port, new DicomClientOptions { CalledAeTitle = "COMMITSCP" },
            new PresentationContextProposal().Add(StorageCommitment.SopClassUid, "1.2.840.10008.1.2"));
        await using (association)
        {
            var context = association.FindContext(StorageCommitment.SopClassUid)!;
            var data = new DicomDataset();
            data.Add(new DicomSequence(new DicomTag(0x0008, 0x1199), [new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x1155), DicomVR.UI, "1.2.3")]));
            var bytes = DimseIdentifier.Encode(data, context.TransferSyntax!);
            var request = new DimseCommand
            {
                CommandField = DimseCommandField.NActionRequest,
                MessageId = association.NextMessageId(),
                RequestedSopClassUid = StorageCommitment.SopClassUid,
                RequestedSopInstanceUid = StorageCommitment.WellKnownInstanceUid,
                ActionTypeId = 1,
            };
            var statuses = new List<DimseStatus>();
            await foreach (var r in association.SendRequestAsync(context.Id, request, (s, c) => s.WriteAsync(bytes, c))) statuses.Add(r.Status);
            Assert.Equal(0x0120, Assert.Single(statuses).Code);
            await association.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Commit_without_an_accepted_context_is_a_clear_error()
    {
        var association = await DicomClient.ConnectAsync("127.0.0.1", Server.Port, new DicomClientOptions { CalledAeTitle = "COMMITSCP" },
            new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2"));
        await using (association)
        {
            var ex = await Assert.ThrowsAsync<DicomNetworkException>(() => association.CommitAsync([new CommitmentItem("1.2", "1.3")], ReportTimeout));
            Assert.Contains("Storage Commitment", ex.Message, StringComparison.Ordinal);
            await association.ReleaseAsync();
        }
    }
}
