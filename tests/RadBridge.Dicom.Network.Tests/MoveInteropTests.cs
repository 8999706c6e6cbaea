using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>DCMTK movescu and our C-MOVE SCU against our C-MOVE SCP, which sends to a DCMTK storescp.</summary>
public sealed class MoveInteropTests(QueryScp scp) : IClassFixture<QueryScp>
{
    private static byte[] DataSetBytes(string path)
    {
        var source = StoreSource.Open(path);
        return File.ReadAllBytes(path)[(int)source.DataSetOffset..];
    }

    /// <summary>Empties the destination, runs the move, and returns what arrived by SOP Instance UID.</summary>
    private async Task<Dictionary<string, string>> ArrivalsAfterAsync(Func<Task> move)
    {
        foreach (var f in Directory.GetFiles(scp.MoveDestination.Directory)) File.Delete(f);
        await move();
        return Directory.GetFiles(scp.MoveDestination.Directory).ToDictionary(f => StoreSource.Open(f).SopInstanceUid, f => f);
    }

    private void AssertArrivedUnchanged(Dictionary<string, string> arrived, params int[] samples)
    {
        Assert.Equal(samples.Select(i => scp.Headers[i].GetString(QueryLevels.SopInstanceUid)!).Order(StringComparer.Ordinal), arrived.Keys.Order(StringComparer.Ordinal));
        foreach (var i in samples)
        {
            // What our SCP holds (as storescu sent it) is what must arrive, byte for byte.
            var sop = scp.Headers[i].GetString(QueryLevels.SopInstanceUid)!;
            var stored = Assert.Single(Directory.GetFiles(scp.Directory, sop + ".dcm", SearchOption.AllDirectories));
            Assert.Equal(DataSetBytes(stored), DataSetBytes(arrived[sop]));
        }
    }

    [Fact]
    public async Task Movescu_moves_a_uid_list_of_studies_to_storescp_byte_identical()
    {
        Dcmtk.Result? result = null;
        var arrived = await ArrivalsAfterAsync(async () => result = await Dcmtk.RunAsync("movescu", ["-S", "-v", "-aec", "QRSCP", "-aem", "STORESCP",
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={scp.Uid(0)}\\{scp.Uid(3)}", "127.0.0.1", scp.PortText]));
        Assert.True(result!.ExitCode == 0, result.ToString());
        Assert.Contains("Final Move Response (Success)", result.Output, StringComparison.Ordinal);
        AssertArrivedUnchanged(arrived, 0, 3);
    }

    [Fact]
    public async Task Movescu_to_an_unknown_destination_fails_with_A801()
    {
        var result = await Dcmtk.RunAsync("movescu", ["-S", "-v", "-aec", "QRSCP", "-aem", "NOWHERE", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={scp.Uid(0)}", "127.0.0.1", scp.PortText]);
        Assert.Contains("MoveDestinationUnknown", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_move_scu_reports_pending_counts_and_everything_arrives()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, "");
        var pending = new List<RetrieveResult>();
        RetrieveResult? final = null;
        var arrived = await ArrivalsAfterAsync(async () =>
        {
            var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions { CalledAeTitle = "QRSCP" },
                new PresentationContextProposal().Add(QueryRetrieveSopClasses.StudyRootMove, "1.2.840.10008.1.2"));
            await using (association)
            {
                final = await association.MoveAsync(QueryModel.StudyRoot, "STORESCP", identifier, pending.Add);
                await association.ReleaseAsync();
            }
        });
        var all = Enumerable.Range(0, QueryScp.SampleNames.Length).ToArray();
        Assert.True(final!.Status.IsSuccess, final.ToString());
        Assert.Equal((all.Length, 0, 0), (final.Completed, final.Failed, final.Warning));
        Assert.Null(final.Remaining);
        Assert.Equal(Enumerable.Range(1, all.Length - 1).Reverse().Select(n => (int?)n), pending.Select(p => p.Remaining));
        AssertArrivedUnchanged(arrived, all);
    }
}
