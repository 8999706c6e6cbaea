using System.Net;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests;

/// <summary>
/// Every HTTP read path × every role × a study of the caller's own organisation, of another organisation, and of
/// another organisation shared with the caller's: patient data is returned exactly when the role may read it and the
/// study is the organisation's own or shared with it; otherwise the study does not exist for the caller (404 or an
/// empty search), never a 500 and never a leak.
/// </summary>
public sealed class TenantIsolationMatrixTests : IAsyncLifetime
{
    private const string Password = "matrix-password-1";
    private ServerProcess _server = null!;
    private readonly Dictionary<string, (string Study, string Series, string Sop)> _studies = [];

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "rb-matrix-" + Guid.NewGuid().ToString("N"));
        var location = new ArchiveLocation(data);
        await ArchiveDatabase.EnsureSchemaAsync(location);
        int own, other;
        await using (var db = ArchiveDatabase.Open(location))
        {
            var a = new Organization { Name = "Own Clinic", CreatedAt = DateTimeOffset.UtcNow };
            var b = new Organization { Name = "Other Clinic", CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.AddRange(a, b);
            await db.SaveChangesAsync();
            (own, other) = (a.Id, b.Id);
        }
        var input = Path.Combine(data, "in");
        var template = TestPaths.Sample("CT_small.dcm");
        foreach (var (name, org) in new[] { ("own", own), ("foreign", other), ("shared", other) })
        {
            var dir = Path.Combine(input, name);
            var study = SeedArchive.Variant(template, dir, $"Patient^{name}", "ID-" + name, "20240101", "CT");
            await SeedArchive.IngestAsync(location, org, Directory.GetFiles(dir));
            var file = DicomFile.Open(Directory.GetFiles(dir).Single()).Dataset;
            _studies[name] = (study, file.GetString(DicomTags.SeriesInstanceUID)!, file.GetString(DicomTags.SOPInstanceUID)!);
        }
        await using (var db = ArchiveDatabase.Open(location))
        {
            var shared = db.Studies.Single(s => s.StudyInstanceUid == _studies["shared"].Study);
            db.StudyShares.Add(new StudyShare { StudyId = shared.Id, OrganizationId = own, SharedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        Directory.Delete(input, recursive: true);
        _server = await ServerProcess.StartAsync(dataDirectory: data);
        foreach (var role in ArchiveRoles.All) await _server.AddUserAsync(own, role, "own-" + role, Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Roles() => [.. ArchiveRoles.All];

    private static IEnumerable<(string Name, string Url, bool IsSearch)> ReadPaths((string Study, string Series, string Sop) s)
    {
        var instance = $"dicomweb/studies/{s.Study}/series/{s.Series}/instances/{s.Sop}";
        yield return ("QIDO studies", $"dicomweb/studies?StudyInstanceUID={s.Study}", true);
        yield return ("QIDO series of study", $"dicomweb/studies/{s.Study}/series", true);
        yield return ("QIDO instances of series", $"dicomweb/studies/{s.Study}/series/{s.Series}/instances", true);
        yield return ("QIDO all instances", $"dicomweb/instances?SOPInstanceUID={s.Sop}", true);
        yield return ("WADO study", $"dicomweb/studies/{s.Study}", false);
        yield return ("WADO series", $"dicomweb/studies/{s.Study}/series/{s.Series}", false);
        yield return ("WADO instance", instance, false);
        yield return ("study metadata", $"dicomweb/studies/{s.Study}/metadata", false);
        yield return ("series metadata", $"dicomweb/studies/{s.Study}/series/{s.Series}/metadata", false);
        yield return ("instance metadata", instance + "/metadata", false);
        yield return ("frames", instance + "/frames/1", false);
        yield return ("rendered", instance + "/rendered", false);
        yield return ("thumbnail", instance + "/thumbnail", false);
        yield return ("WADO-URI", $"wado?requestType=WADO&studyUID={s.Study}&seriesUID={s.Series}&objectUID={s.Sop}&contentType=application%2Fdicom", false);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_role_reads_own_and_shared_studies_only_when_it_may(string role)
    {
        using var http = _server.Client("own-" + role, Password);
        var failures = new List<string>();
        foreach (var (which, study) in _studies)
        {
            var expectVisible = ArchiveRoles.CanReadPatientData(role) && which is "own" or "shared";
            foreach (var (name, url, isSearch) in ReadPaths(study))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
                if (!isSearch && name.StartsWith("WADO ", StringComparison.Ordinal)) request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                bool visible;
                if (isSearch)
                {
                    if (response.StatusCode != HttpStatusCode.OK) { failures.Add($"{which} {name}: {(int)response.StatusCode}"); continue; }
                    visible = body.Contains(study.Study, StringComparison.Ordinal);
                }
                else if (response.StatusCode == HttpStatusCode.OK) visible = true;
                else if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden) visible = false;
                else { failures.Add($"{which} {name}: unexpected {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}"); continue; }
                if (visible != expectVisible) failures.Add($"{which} {name}: {(visible ? "visible" : "hidden")} (status {(int)response.StatusCode}), expected {(expectVisible ? "visible" : "hidden")}");
            }
        }
        Assert.True(failures.Count == 0, $"role {role}:\n" + string.Join('\n', failures));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Only_the_owning_organisations_admin_may_delete(string role)
    {
        using var http = _server.Client("own-" + role, Password);
        // A shared and a foreign study can never be deleted by this organisation.
        foreach (var which in new[] { "foreign", "shared" })
        {
            using var response = await http.DeleteAsync(new Uri($"dicomweb/studies/{_studies[which].Study}/series/{_studies[which].Series}/instances/{_studies[which].Sop}", UriKind.Relative));
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{role} deleting {which}: {(int)response.StatusCode}");
        }
        if (role != ArchiveRoles.Admin)
        {
            using var own = await http.DeleteAsync(new Uri($"dicomweb/studies/{_studies["own"].Study}", UriKind.Relative));
            Assert.True(own.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{role} deleting own study: {(int)own.StatusCode}");
        }
        await using var db = ArchiveDatabase.Open(_server.Location);
        Assert.Equal(3, db.Instances.Count());
    }
}
