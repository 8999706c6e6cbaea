using System.Text.Json.Nodes;
using RadBridge.Tests.Shared;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// One Orthanc (<see cref="OrthancProcess"/>: Debian's package in a temp directory on free ports) shared by the tests
/// of <see cref="OrthancCollection"/>, started once and killed after the collection.
/// </summary>
/// <remarks>
/// The config checks the called AE title (DicomCheckCalledAet) so a wrong one is refused, and registers our SCP as
/// modality <see cref="OurModality"/> on <see cref="OurScpPort"/> so Orthanc can push (C-STORE) and later C-MOVE to us.
/// </remarks>
public sealed class OrthancFixture : IAsyncLifetime
{
    public const string AeTitle = "ORTHANC";
    public const string OurModality = "radbridge";
    public const string OurAeTitle = "RBSCP";

    private OrthancProcess? _orthanc;

    public int OurScpPort { get; } = OrthancProcess.FreePort();

    private OrthancProcess Orthanc => _orthanc ?? throw new InvalidOperationException("Orthanc is not started");

    public int DicomPort => Orthanc.DicomPort;
    public int HttpPort => Orthanc.HttpPort;
    public HttpClient Http => Orthanc.Http;

    public async Task InitializeAsync() =>
        _orthanc = await OrthancProcess.StartAsync(new OrthancOptions
        {
            AeTitle = AeTitle,
            CheckCalledAeTitle = true,
            Modalities = new Dictionary<string, OrthancModality> { [OurModality] = new(OurAeTitle, "127.0.0.1", OurScpPort) },
        });

    public async Task DisposeAsync()
    {
        if (_orthanc is not null) await _orthanc.DisposeAsync();
    }

    public string Log() => Orthanc.Log();

    public Task<JsonNode> PostJsonAsync(string path, string json) => Orthanc.PostJsonAsync(path, json);

    public Task<string?> LookupInstanceAsync(string sopInstanceUid) => Orthanc.LookupInstanceAsync(sopInstanceUid);

    public Task<byte[]> GetFileAsync(string instanceId) => Orthanc.GetFileAsync(instanceId);

    public static string Port(int port) => OrthancProcess.Port(port);
}

/// <summary>The tests that share one Orthanc.</summary>
[CollectionDefinition(Name)]
public sealed class OrthancCollection : ICollectionFixture<OrthancFixture>
{
    public const string Name = "Orthanc";
}
