using System.Diagnostics;
using System.Globalization;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>Our C-FIND and C-GET SCU against DCMTK dcmqrscp (a temp config and database filled by storescu).</summary>
public sealed class DcmqrscpInteropTests : IAsyncLifetime
{
    private static readonly string[] Samples = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm"];
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private readonly string _root = Directory.CreateTempSubdirectory("rb-dcmqrscp-").FullName;
    private readonly int _port = Dcmtk.FreePort();
    private Process? _process;

    public async Task InitializeAsync()
    {
        var db = Directory.CreateDirectory(Path.Combine(_root, "db")).FullName;
        var config = Path.Combine(_root, "dcmqrscp.cfg");
        await File.WriteAllTextAsync(config, $"""
            NetworkTCPPort = {_port.ToString(CultureInfo.InvariantCulture)}
            MaxPDUSize = 16384
            MaxAssociations = 16
            HostTable BEGIN
            HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            DCMQR {db} RW (200, 1024mb) ANY
            AETable END
            """);
        var info = new ProcessStartInfo("dcmqrscp") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Not --single-process: DCMTK 3.6.7's dcmqrscp crashes (SIGSEGV) after a storage association in that mode.
        foreach (var a in new[] { "-c", config }) info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dcmqrscp");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        Dcmtk.Result? store = null;
        while (DateTime.UtcNow < deadline)
        {
            store = await Dcmtk.RunAsync("storescu", ["-aec", "DCMQR", "127.0.0.1", _port.ToString(CultureInfo.InvariantCulture), .. Samples.Select(TestPaths.Sample)]);
            if (store.ExitCode == 0) return;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"loading dcmqrscp failed: {store}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(5000);
        _process?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private static DicomDataset Header(string name) => DicomFile.Open(TestPaths.Sample(name), new DicomReadOptions { StopBeforePixelData = true }).Dataset;

    [Fact]
    public async Task Our_find_gets_the_date_range_matches_from_dcmqrscp()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, "");
        identifier.AddOrUpdate(StudyDate, DicomVR.DA, "20040101-");
        var association = await DicomClient.ConnectAsync("127.0.0.1", _port, new DicomClientOptions { CalledAeTitle = "DCMQR" },
            new PresentationContextProposal().Add(QueryRetrieveSopClasses.StudyRootFind, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"));
        var found = new List<string>();
        await using (association)
        {
            await foreach (var match in association.FindAsync(QueryModel.StudyRoot, identifier)) found.Add(match.GetString(QueryLevels.StudyInstanceUid)!);
            await association.ReleaseAsync();
        }
        var expected = Samples.Select(Header).Where(h => string.CompareOrdinal(h.GetString(StudyDate), "20040101") >= 0)
            .Select(h => h.GetString(QueryLevels.StudyInstanceUid)!).Order(StringComparer.Ordinal);
        Assert.Equal(expected, found.Order(StringComparer.Ordinal));
        Assert.Equal(2, found.Count);
    }

    [Fact]
    public async Task Our_get_receives_a_study_from_dcmqrscp_with_the_data_set_unchanged()
    {
        var folder = Directory.CreateTempSubdirectory("rb-get-dcmqr-").FullName;
        try
        {
            var header = Header("MR_small.dcm");
            var identifier = new DicomDataset();
            identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
            identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, header.GetString(QueryLevels.StudyInstanceUid)!);
            var association = await DicomClient.ConnectAsync("127.0.0.1", _port, new DicomClientOptions { CalledAeTitle = "DCMQR" },
                GetScu.Propose(QueryModel.StudyRoot));
            RetrieveResult final;
            await using (association)
            {
                final = await association.GetAsync(QueryModel.StudyRoot, identifier, new FolderStoreHandler(folder));
                await association.ReleaseAsync();
            }
            Assert.True(final.Status.IsSuccess, final.ToString());
            Assert.Equal(1, final.Completed);
            var received = Assert.Single(Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories));
            Assert.Equal(header.GetString(QueryLevels.SopInstanceUid), DicomFile.Open(received).Dataset.GetString(QueryLevels.SopInstanceUid));
            // dcmqrscp stores what storescu sent; compare its copy with ours, data set bytes only.
            var theirs = Directory.GetFiles(Path.Combine(_root, "db"), "MR_*.dcm").Single();
            static byte[] DataSet(string p) => File.ReadAllBytes(p)[(int)StoreSource.Open(p).DataSetOffset..];
            Assert.Equal(DataSet(theirs), DataSet(received));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
