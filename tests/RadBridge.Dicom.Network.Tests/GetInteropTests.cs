using System.Diagnostics;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>DCMTK getscu, our C-GET SCU and the get/move CLI against our Q/R SCP.</summary>
public sealed class GetInteropTests(QueryScp scp) : IClassFixture<QueryScp>
{
    private static byte[] DataSetBytes(string path)
    {
        var source = StoreSource.Open(path);
        return File.ReadAllBytes(path)[(int)source.DataSetOffset..];
    }

    private string Stored(string sop) => Assert.Single(Directory.GetFiles(scp.Directory, sop + ".dcm", SearchOption.AllDirectories));

    private void AssertReceivedUnchanged(string folder, params int[] samples)
    {
        var received = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.Contains(".incoming", StringComparison.Ordinal))
            .ToDictionary(f => StoreSource.Open(f).SopInstanceUid, f => f);
        var expected = samples.Select(i => scp.Headers[i].GetString(QueryLevels.SopInstanceUid)!).ToArray();
        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
        foreach (var sop in expected) Assert.Equal(DataSetBytes(Stored(sop)), DataSetBytes(received[sop]));
    }

    [Fact]
    public async Task Getscu_receives_a_series_on_its_association()
    {
        var folder = Directory.CreateTempSubdirectory("rb-getscu-").FullName;
        try
        {
            var result = await Dcmtk.RunAsync("getscu", ["-S", "-v", "-aec", "QRSCP", "-od", folder, "-k", "QueryRetrieveLevel=SERIES",
                "-k", $"StudyInstanceUID={scp.Uid(3)}", "-k", $"SeriesInstanceUID={scp.Headers[3].GetString(QueryLevels.SeriesInstanceUid)}", "127.0.0.1", scp.PortText]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Received C-GET Response (Success)", result.Output, StringComparison.Ordinal);
            AssertReceivedUnchanged(folder, 3);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Our_get_scu_receives_every_study_with_pending_counts()
    {
        var folder = Directory.CreateTempSubdirectory("rb-get-").FullName;
        try
        {
            var identifier = new DicomDataset();
            identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
            identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, "");
            var pending = new List<RetrieveResult>();
            var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions { CalledAeTitle = "QRSCP" },
                GetScu.Propose(QueryModel.StudyRoot, scp.Headers.Select(h => h.GetString(new DicomTag(0x0008, 0x0016))!)));
            RetrieveResult final;
            await using (association)
            {
                final = await association.GetAsync(QueryModel.StudyRoot, identifier, new FolderStoreHandler(folder), onPending: pending.Add);
                await association.ReleaseAsync();
            }
            Assert.True(final.Status.IsSuccess, final.ToString());
            Assert.Equal(QueryScp.SampleNames.Length, final.Completed);
            Assert.Equal(QueryScp.SampleNames.Length - 1, pending.Count);
            AssertReceivedUnchanged(folder, [.. Enumerable.Range(0, QueryScp.SampleNames.Length)]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Cli_find_get_and_move_work_against_our_scp()
    {
        var folder = Directory.CreateTempSubdirectory("rb-get-cli-").FullName;
        try
        {
            var find = await RadbridgeAsync("find", "127.0.0.1", scp.PortText, "--called", "QRSCP", "--level", "STUDY", "-k", "PatientName=CompressedSamples*", "-k", "StudyDate", "--json");
            Assert.True(find.ExitCode == 0, find.ToString());
            var matches = DicomJson.DeserializeArray(find.StdOut);
            Assert.Equal(new[] { scp.Uid(0), scp.Uid(3) }.Order(StringComparer.Ordinal), matches.Select(m => m.GetString(QueryLevels.StudyInstanceUid)!).Order(StringComparer.Ordinal));

            var get = await RadbridgeAsync("get", "127.0.0.1", scp.PortText, "--called", "QRSCP", "-k", $"StudyInstanceUID={scp.Uid(0)}", "--out", folder);
            Assert.True(get.ExitCode == 0, get.ToString());
            AssertReceivedUnchanged(folder, 0);

            foreach (var f in Directory.GetFiles(scp.MoveDestination.Directory)) File.Delete(f);
            var move = await RadbridgeAsync("move", "127.0.0.1", scp.PortText, "--called", "QRSCP", "--dest", "STORESCP", "-k", $"StudyInstanceUID={scp.Uid(4)}");
            Assert.True(move.ExitCode == 0, move.ToString());
            Assert.Contains("1 completed, 0 failed", move.StdOut, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(scp.MoveDestination.Directory));

            var unknown = await RadbridgeAsync("move", "127.0.0.1", scp.PortText, "--called", "QRSCP", "--dest", "NOWHERE", "-k", $"StudyInstanceUID={scp.Uid(4)}");
            Assert.Equal(1, unknown.ExitCode);
            Assert.StartsWith("error: move", unknown.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record CliResult(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n{StdOut}\n{StdErr}";
    }

    private static async Task<CliResult> RadbridgeAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "radbridge.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
