using System.Text.Json.Nodes;
using RadBridge.Tests.Shared;

namespace RadBridge.Archive.Tests.Interop;

/// <summary>One Orthanc with its DICOMweb plugin and a Basic-auth user, shared by <see cref="NodeDicomWebClientTests"/>.</summary>
public sealed class OrthancDicomWebFixture : IAsyncLifetime
{
    public const string User = "interop";
    public const string Password = "dicomweb-pass";

    private OrthancProcess? _orthanc;

    public OrthancProcess Orthanc => _orthanc ?? throw new InvalidOperationException("Orthanc is not started");

    public async Task InitializeAsync() =>
        _orthanc = await OrthancProcess.StartAsync(new OrthancOptions { DicomWeb = true, Username = User, Password = Password });

    public async Task DisposeAsync()
    {
        if (_orthanc is not null) await _orthanc.DisposeAsync();
    }
}

/// <summary>
/// The node DICOMweb client (tests/interop/dicomweb/client.mjs: the npm dicomweb-client) against Orthanc's DICOMweb
/// plugin, two implementations nobody here wrote: proves the script the RadBridge server's interop tests drive works,
/// with the pixel ground truth of the shared samples (pydicom) as the witness.
/// </summary>
public sealed class NodeDicomWebClientTests(OrthancDicomWebFixture fixture) : IClassFixture<OrthancDicomWebFixture>
{
    private const string PatientNameTag = "00100010";
    private const string PatientIdTag = "00100020";
    private const string StudyUidTag = "0020000D";
    private const string SeriesUidTag = "0020000E";
    private const string SopUidTag = "00080018";

    private DicomWebNodeClient Client => new(fixture.Orthanc.DicomWebRoot, OrthancDicomWebFixture.User, OrthancDicomWebFixture.Password);

    [Fact]
    public async Task Stow_then_qido_metadata_and_frames_read_back_what_was_stored()
    {
        var ct = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Samples, "expected", "CT_small.json")))!;
        var mr = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Samples, "expected", "MR_small.json")))!;
        var (study, series, sop) = ((string)ct["study_instance_uid"]!, (string)ct["series_instance_uid"]!, (string)ct["sop_instance_uid"]!);

        var stow = await Client.StowAsync(TestPaths.Sample("CT_small.dcm"), TestPaths.Sample("MR_small.dcm"));
        var referenced = stow!["00081199"]!["Value"]!.AsArray().Select(item => Value(item!, "00081155")).ToList();
        // Referenced SOP Sequence: both instances; Failed SOP Sequence: empty.
        Assert.Equal(new[] { sop, (string)mr["sop_instance_uid"]! }.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
        Assert.Null(stow["00081198"]?["Value"]);

        var byPatient = (await Client.QueryStudiesAsync($"PatientID={(string)ct["patient_id"]!}"))!.AsArray();
        var found = Assert.Single(byPatient);
        Assert.Equal(study, Value(found!, StudyUidTag));
        Assert.Equal((string)ct["patient_name"]!["expected"]!, (string?)found![PatientNameTag]!["Value"]![0]!["Alphabetic"]);

        var all = (await Client.QueryStudiesAsync())!.AsArray().Select(s => Value(s!, StudyUidTag)).ToHashSet();
        Assert.Superset(new HashSet<string?> { study, (string)mr["study_instance_uid"]! }, all);

        var seriesFound = Assert.Single((await Client.QuerySeriesAsync(study))!.AsArray());
        Assert.Equal(series, Value(seriesFound!, SeriesUidTag));

        var instance = Assert.Single((await Client.SeriesMetadataAsync(study, series))!.AsArray());
        Assert.Equal(sop, Value(instance!, SopUidTag));
        Assert.Equal((string)ct["patient_id"]!, Value(instance!, PatientIdTag));

        var frame = Assert.Single((await Client.FramesAsync(study, series, sop, 1))!.AsArray())!;
        Assert.Equal((int)ct["pixel"]!["value_length"]!, (int)frame["length"]!);
        Assert.Equal((string)ct["pixel"]!["sha256"]!, (string)frame["sha256"]!);

        var rendered = (await Client.RenderedAsync(study, series, sop))!;
        Assert.Equal("image/jpeg", (string?)rendered["contentType"]);
        Assert.True((int)rendered["length"]! > 100, rendered.ToJsonString());
    }

    [Fact]
    public async Task Wrong_credentials_and_unknown_instances_fail_with_the_http_status()
    {
        var wrong = new DicomWebNodeClient(fixture.Orthanc.DicomWebRoot, OrthancDicomWebFixture.User, "not-the-password");
        var (exit, stdout, stderr) = await wrong.RunAsync(["qido-studies"]);
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("error: HTTP 401", stderr, StringComparison.Ordinal);

        var missing = await Client.RunAsync(["frames", "1.2.3", "1.2.3.4", "1.2.3.4.5", "1"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: HTTP 404", missing.Stderr, StringComparison.Ordinal);
    }

    private static string? Value(JsonNode item, string tag) => (string?)item[tag]?["Value"]?[0];
}

/// <summary>
/// <see cref="OrthancOptions.DicomWebServers"/> as the archive's Orthanc interop tests will use it (pointed at RadBridge):
/// here one Orthanc pushes to and pulls from a second Orthanc's DICOMweb API through its DicomWeb.Servers entry.
/// </summary>
public sealed class OrthancDicomWebServersTests(OrthancDicomWebFixture fixture) : IClassFixture<OrthancDicomWebFixture>
{
    [Fact]
    public async Task Orthanc_stows_to_and_retrieves_from_a_configured_dicomweb_server()
    {
        var peer = fixture.Orthanc;
        await using var orthanc = await OrthancProcess.StartAsync(new OrthancOptions
        {
            DicomWeb = true,
            DicomWebServers = new Dictionary<string, OrthancDicomWebServer>
            {
                ["peer"] = new(peer.DicomWebRoot, OrthancDicomWebFixture.User, OrthancDicomWebFixture.Password),
            },
        });
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Samples, "expected", "MR_small.json")))!;
        var sop = (string)expected["sop_instance_uid"]!;
        using (var content = new ByteArrayContent(await File.ReadAllBytesAsync(TestPaths.Sample("MR_small.dcm"))))
        {
            using var upload = await orthanc.Http.PostAsync(new Uri("instances", UriKind.Relative), content);
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        }
        var id = await orthanc.LookupInstanceAsync(sop);
        Assert.NotNull(id);

        // Push (STOW-RS by the plugin's client), then the peer must hold the instance.
        await orthanc.PostJsonAsync("dicom-web/servers/peer/stow", new JsonObject { ["Resources"] = new JsonArray(id) }.ToJsonString());
        Assert.NotNull(await peer.LookupInstanceAsync(sop));

        // Pull (WADO-RS by the plugin's client) into an empty Orthanc.
        using (var deleted = await orthanc.Http.DeleteAsync(new Uri($"instances/{id}", UriKind.Relative))) Assert.True(deleted.IsSuccessStatusCode);
        Assert.Null(await orthanc.LookupInstanceAsync(sop));
        await orthanc.PostJsonAsync("dicom-web/servers/peer/retrieve",
            new JsonObject { ["Resources"] = new JsonArray(new JsonObject { ["Study"] = (string)expected["study_instance_uid"]! }) }.ToJsonString());
        Assert.NotNull(await orthanc.LookupInstanceAsync(sop));
    }
}
