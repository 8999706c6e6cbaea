using System.Globalization;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Tests;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// Our storage + Query/Retrieve SCP on a free port over a folder index, loaded once (by DCMTK storescu) with a few
/// samples of different patients, studies and dates.
/// </summary>
public sealed class QueryScp : IAsyncLifetime
{
    public static readonly string[] SampleNames = ["CT_small.dcm", "CR-MONO1-10-chest.dcm", "chrFrenMulti.dcm", "MR_small.dcm", "rtplan.dcm"];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("rb-qr-").FullName;
    public FolderInstanceIndex Index { get; private set; } = null!;
    public DicomServer Server { get; private set; } = null!;
    public int Port => Server.Port;
    public string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The samples' headers, read from the sample files (the ground truth queries are checked against).</summary>
    public IReadOnlyList<DicomDataset> Headers { get; } =
        [.. SampleNames.Select(n => DicomFile.Open(TestPaths.Sample(n), new DicomReadOptions { StopBeforePixelData = true }).Dataset)];

    /// <summary>A DCMTK storescp known to the SCP as C-MOVE destination "STORESCP".</summary>
    internal Dcmtk.StoreScp MoveDestination { get; } = new();

    public async Task InitializeAsync()
    {
        Index = new FolderInstanceIndex(Directory);
        var registry = new DimseServiceRegistry().AddVerification()
            .AddStorage(new FolderStoreHandler(Directory, p => Index.TryAdd(p)), new StorageScpOptions { TempDirectory = Path.Combine(Directory, ".incoming") })
            .AddFind(Index)
            .AddMove(Index, [new DicomPeer("STORESCP", "127.0.0.1", MoveDestination.Port)])
            .AddGet(Index);
        Server = new DicomServer(new DicomServerOptions { AeTitle = "QRSCP", AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown, ArtimTimeout = TimeSpan.FromSeconds(5) }, registry);
        Server.Start(0, System.Net.IPAddress.Loopback);
        var store = await Dcmtk.RunAsync("storescu", ["-aec", "QRSCP", "127.0.0.1", PortText, .. SampleNames.Select(TestPaths.Sample)]);
        if (store.ExitCode != 0 || Index.Count != SampleNames.Length) throw new InvalidOperationException($"loading the Q/R SCP failed ({Index.Count} indexed): {store}");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        MoveDestination.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    public string Uid(int sample) => Headers[sample].GetString(QueryLevels.StudyInstanceUid)!;
}
