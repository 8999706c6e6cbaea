using System.Collections.Concurrent;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>Our SCP (Verification + every Storage SOP class, every transfer syntax) on a free port, filing into a temp folder.</summary>
internal sealed class TestScp : IAsyncDisposable
{
    public TestScp(Func<DicomServerOptions, DicomServerOptions>? configure = null, IStoreHandler? handler = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rb-scp-").FullName;
        Handler = new RecordingHandler(new FolderStoreHandler(Directory));
        var options = new DicomServerOptions
        {
            AeTitle = "RBSCP",
            AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown,
            ArtimTimeout = TimeSpan.FromSeconds(5),
        };
        options = configure?.Invoke(options) ?? options;
        var registry = new DimseServiceRegistry().AddVerification()
            .AddStorage(handler ?? Handler, new StorageScpOptions { TempDirectory = Path.Combine(Directory, ".incoming") });
        Server = new DicomServer(options, registry);
        Server.Start(0, System.Net.IPAddress.Loopback);
    }

    public DicomServer Server { get; }
    public string Directory { get; }
    public int Port => Server.Port;
    public RecordingHandler Handler { get; }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        try { System.IO.Directory.Delete(Directory + "-by-caller", recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// Files every received instance and remembers where, by SOP Instance UID (folder layout) and by calling AE title
    /// (a copy per caller, so parallel senders of samples sharing a UID do not overwrite each other's evidence).
    /// </summary>
    internal sealed class RecordingHandler(FolderStoreHandler inner) : IStoreHandler
    {
        public ConcurrentDictionary<string, string> Stored { get; } = new();
        public ConcurrentDictionary<string, string> ByCaller { get; } = new();

        public async ValueTask<DimseStatus> StoreAsync(ReceivedInstance instance, CancellationToken ct)
        {
            var copy = Path.Combine(Path.GetDirectoryName(inner.Root)!, Path.GetFileName(inner.Root) + "-by-caller", instance.CallingAeTitle + ".dcm");
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(instance.FilePath, copy, overwrite: true);
            ByCaller[instance.CallingAeTitle] = copy;
            var status = await inner.StoreAsync(instance, ct);
            var path = System.IO.Directory.GetFiles(inner.Root, instance.SopInstanceUid + ".dcm", SearchOption.AllDirectories).Single();
            Stored[instance.SopInstanceUid] = path;
            return status;
        }
    }
}
