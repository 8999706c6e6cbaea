using System.Net;
using System.Text.Json;
using RadBridge.Archive;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>QIDO-RS against a running server: the tenant filter, Chinese and accent-insensitive names, paging, errors.</summary>
public sealed class QidoTests : IAsyncLifetime
{
    private ServerProcess _server = null!;
    private readonly Dictionary<string, string> _studies = [];

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "rb-qido-" + Guid.NewGuid().ToString("N"));
        var location = new ArchiveLocation(data);
        await RadBridge.Archive.Index.ArchiveDatabase.EnsureSchemaAsync(location);
        int east, west;
        await using (var db = RadBridge.Archive.Index.ArchiveDatabase.Open(location))
        {
            var a = new Organization { Name = "Clinic East", CreatedAt = DateTimeOffset.UtcNow };
            var b = new Organization { Name = "Clinic West", CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.AddRange(a, b);
            await db.SaveChangesAsync();
            (east, west) = (a.Id, b.Id);
        }
        var files = Path.Combine(data, "in");
        var template = TestPaths.Sample("CT_small.dcm");
        _studies["zhang"] = SeedArchive.Variant(template, Path.Combine(files, "1"), "Zhang^San=张^三", "P1", "20240105", "CT", instances: 3);
        _studies["wang"] = SeedArchive.Variant(template, Path.Combine(files, "2"), "Wang^Xiaoming=王^小明", "P2", "20240220", "MR");
        _studies["muller"] = SeedArchive.Variant(template, Path.Combine(files, "3"), "Müller^Jürgen", "P3", "20230911", "CT");
        await SeedArchive.IngestAsync(location, east, Directory.GetFiles(Path.Combine(files, "1")).Concat(Directory.GetFiles(Path.Combine(files, "2"))).Concat(Directory.GetFiles(Path.Combine(files, "3"))));
        _studies["west"] = SeedArchive.Variant(template, Path.Combine(files, "4"), "Zhang^Wei=张^伟", "W1", "20240301", "DX");
        await SeedArchive.IngestAsync(location, west, Directory.GetFiles(Path.Combine(files, "4")));
        Directory.Delete(files, recursive: true);

        _server = await ServerProcess.StartAsync(dataDirectory: data);
        await _server.AddUserAsync(east, ArchiveRoles.Radiologist, "east-reader", "east-password-1");
        await _server.AddUserAsync(west, ArchiveRoles.Technologist, "west-tech", "west-password-1");
        await _server.AddUserAsync(east, ArchiveRoles.Auditor, "east-auditor", "east-password-2");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement[] Results, string[] Warnings)> QueryAsync(string user, string password, string url)
    {
        using var http = _server.Client(user, password);
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var warnings = response.Headers.TryGetValues("Warning", out var w) ? w.ToArray() : [];
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, [], warnings);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.EnumerateArray().ToArray(), warnings);
    }

    private static string Uid(JsonElement result) => result.GetProperty("0020000D").GetProperty("Value")[0].GetString()!;

    [Fact]
    public async Task Each_organisation_sees_only_its_own_studies()
    {
        var east = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies");
        Assert.Equal(HttpStatusCode.OK, east.Status);
        Assert.Equal(new[] { _studies["zhang"], _studies["wang"], _studies["muller"] }.Order(), east.Results.Select(Uid).Order());
        var west = await QueryAsync("west-tech", "west-password-1", "dicomweb/studies");
        Assert.Equal(_studies["west"], Assert.Single(west.Results.Select(Uid)));
        var foreignSeries = await QueryAsync("west-tech", "west-password-1", $"dicomweb/studies/{_studies["zhang"]}/series");
        Assert.Empty(foreignSeries.Results);
        var auditor = await QueryAsync("east-auditor", "east-password-2", "dicomweb/studies");
        Assert.Empty(auditor.Results);
    }

    [Fact]
    public async Task Chinese_substring_and_accent_insensitive_names_match()
    {
        var zhang = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies?PatientName=" + Uri.EscapeDataString("*张*"));
        Assert.Equal(_studies["zhang"], Assert.Single(zhang.Results.Select(Uid)));
        var name = zhang.Results[0].GetProperty("00100010").GetProperty("Value")[0];
        Assert.Equal("张^三", name.GetProperty("Ideographic").GetString());
        var muller = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies?fuzzymatching=true&PatientName=muller*");
        Assert.Equal(_studies["muller"], Assert.Single(muller.Results.Select(Uid)));
    }

    [Fact]
    public async Task Dates_modalities_paging_and_instance_counts()
    {
        var range = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies?StudyDate=20240101-20241231");
        Assert.Equal(2, range.Results.Length);
        var mr = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies?ModalitiesInStudy=MR");
        Assert.Equal(_studies["wang"], Assert.Single(mr.Results.Select(Uid)));
        var page = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies?limit=1");
        Assert.Single(page.Results);
        Assert.Contains(page.Warnings, w => w.Contains("additional results", StringComparison.Ordinal));
        var instances = await QueryAsync("east-reader", "east-password-1", $"dicomweb/studies/{_studies["zhang"]}/instances");
        Assert.Equal(3, instances.Results.Length);
    }

    [Fact]
    public async Task Bad_queries_and_bad_credentials_get_clear_errors()
    {
        var unknown = await QueryAsync("east-reader", "east-password-1", "dicomweb/studies?NoSuchKeyword=1");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        using var http = _server.Client("east-reader", "wrong-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("dicomweb/studies", UriKind.Relative))).StatusCode);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("dicomweb/studies", UriKind.Relative))).StatusCode);
    }
}
