using System.Text.Json.Nodes;
using RadBridge.Archive.Tenancy;
using RadBridge.Tests.Shared;

namespace RadBridge.Server.Tests.Interop;

/// <summary>
/// RadBridge's DICOMweb driven by software nobody here wrote: the npm <c>dicomweb-client</c> (tests/interop/dicomweb)
/// and Orthanc's DICOMweb plugin with RadBridge configured as one of its DICOMweb servers.
/// </summary>
public sealed class ForeignDicomWebClientTests : IAsyncLifetime
{
    private const string User = "clinic-tech";
    private const string Password = "clinic-password-1";
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync();
        var org = await _server.AddOrganizationAsync("Township Clinic");
        await _server.AddUserAsync(org, ArchiveRoles.Technologist, User, Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private DicomWebNodeClient NodeClient => new(new Uri(_server.BaseUrl, "dicomweb"), User, Password);

    private static string? Value(JsonNode item, string tag) => (string?)item[tag]?["Value"]?[0];

    [Fact]
    public async Task Npm_dicomweb_client_stores_queries_and_reads_back_metadata_frames_and_rendered()
    {
        var ct = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Samples, "expected", "CT_small.json")))!;
        var (study, series, sop) = ((string)ct["study_instance_uid"]!, (string)ct["series_instance_uid"]!, (string)ct["sop_instance_uid"]!);

        var stow = await NodeClient.StowAsync(TestPaths.Sample("CT_small.dcm"), TestPaths.Sample("MR_small.dcm"));
        Assert.Equal(2, stow!["00081199"]!["Value"]!.AsArray().Count);

        var studies = (await NodeClient.QueryStudiesAsync($"PatientID={(string)ct["patient_id"]!}"))!.AsArray();
        Assert.Equal(study, Value(Assert.Single(studies)!, "0020000D"));
        Assert.Equal(series, Value(Assert.Single((await NodeClient.QuerySeriesAsync(study))!.AsArray())!, "0020000E"));

        var instance = Assert.Single((await NodeClient.SeriesMetadataAsync(study, series))!.AsArray())!;
        Assert.Equal(sop, Value(instance, "00080018"));

        var frame = Assert.Single((await NodeClient.FramesAsync(study, series, sop, 1))!.AsArray())!;
        Assert.Equal((string)ct["pixel"]!["sha256"]!, (string)frame["sha256"]!);

        var rendered = (await NodeClient.RenderedAsync(study, series, sop))!;
        Assert.Equal("image/jpeg", (string?)rendered["contentType"]);
        Assert.True((int)rendered["length"]! > 100, rendered.ToJsonString());
    }

    [Fact]
    public async Task Orthanc_pushes_a_study_to_radbridge_and_pulls_it_back()
    {
        await using var orthanc = await OrthancProcess.StartAsync(new OrthancOptions
        {
            DicomWeb = true,
            DicomWebServers = new Dictionary<string, OrthancDicomWebServer>
            {
                ["radbridge"] = new(new Uri(_server.BaseUrl, "dicomweb/"), User, Password),
            },
        });
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Samples, "expected", "MR_small.json")))!;
        var sop = (string)expected["sop_instance_uid"]!;
        var original = await File.ReadAllBytesAsync(TestPaths.Sample("MR_small.dcm"));
        using (var content = new ByteArrayContent(original))
        {
            using var upload = await orthanc.Http.PostAsync(new Uri("instances", UriKind.Relative), content);
            Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        }
        var id = await orthanc.LookupInstanceAsync(sop);
        Assert.NotNull(id);

        await orthanc.PostJsonAsync("dicom-web/servers/radbridge/stow", new JsonObject { ["Resources"] = new JsonArray(id) }.ToJsonString());
        await using (var db = RadBridge.Archive.Index.ArchiveDatabase.Open(_server.Location))
        {
            Assert.Contains(db.Instances, i => i.SopInstanceUid == sop);
        }

        using (var deleted = await orthanc.Http.DeleteAsync(new Uri($"instances/{id}", UriKind.Relative))) Assert.True(deleted.IsSuccessStatusCode);
        await orthanc.PostJsonAsync("dicom-web/servers/radbridge/retrieve",
            new JsonObject { ["Resources"] = new JsonArray(new JsonObject { ["Study"] = (string)expected["study_instance_uid"]! }) }.ToJsonString());
        var back = await orthanc.LookupInstanceAsync(sop);
        Assert.NotNull(back);
        var pulled = DicomFile.Read(new MemoryStream(await orthanc.GetFileAsync(back!)));
        Assert.Equal(expected["patient_id"]!.GetValue<string>(), pulled.Dataset.GetString(DicomTags.PatientID));
    }
}
