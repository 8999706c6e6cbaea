using System.Net;
using Microsoft.EntityFrameworkCore;

namespace RadBridge.Server.Tests.DicomWeb;

public sealed class WadoTenancyAndDeleteTests
{
    [Fact]
    public async Task Another_organisation_finds_nothing_until_the_study_is_shared_and_a_share_never_allows_deleting()
    {
        await using var wado = await WadoServer.StartAsync();
        var a = await wado.StoreAsync("CT_small.dcm");
        var instance = WadoServer.InstanceUrl(a);
        var study = $"dicomweb/studies/{a.StudyInstanceUid}";
        var series = $"{study}/series/{a.SeriesInstanceUid}";
        var query = $"?requestType=WADO&studyUID={a.StudyInstanceUid}&seriesUID={a.SeriesInstanceUid}&objectUID={a.SopInstanceUid}";
        string[] reads =
        [
            study, series, instance, study + "/metadata", series + "/metadata", instance + "/metadata", instance + "/frames/1",
            instance + "/bulkdata/7FE00010", instance + "/rendered", instance + "/frames/1/rendered", study + "/thumbnail",
            series + "/thumbnail", instance + "/thumbnail", "wado" + query, "dicomweb/wado" + query,
        ];

        using var ownRadiologist = wado.Client("a-rad");
        using var foreignRadiologist = wado.Client("b-rad");
        using var foreignAdmin = wado.Client("b-admin");
        using var anonymous = wado.Server.Client();
        foreach (var url in reads)
        {
            Assert.Equal(HttpStatusCode.OK, (await Get(ownRadiologist, url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Get(foreignRadiologist, url)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(anonymous, url)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await foreignAdmin.DeleteAsync(new Uri(study, UriKind.Relative))).StatusCode);

        await wado.Seeder.ShareAsync(a.StudyInstanceUid, wado.OrgB);
        foreach (var url in reads) Assert.Equal(HttpStatusCode.OK, (await Get(foreignRadiologist, url)).StatusCode);

        // Deleting: not by a radiologist of the owner, not by the admin of an organisation it is shared with.
        Assert.Equal(HttpStatusCode.Forbidden, (await ownRadiologist.DeleteAsync(new Uri(instance, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await foreignAdmin.DeleteAsync(new Uri(study, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(ownRadiologist, instance)).StatusCode);
        Assert.True(await wado.Server.AuditedAsync("b-admin", "delete", "failure"), "audit record of b-admin delete failure");
    }

    [Fact]
    public async Task The_owning_admin_deletes_instances_series_and_studies_with_their_files_and_counters()
    {
        await using var wado = await WadoServer.StartAsync();
        var mr = await wado.StoreAsync("MR_small.dcm");
        var ct = await wado.StoreAsync("CT_small.dcm");
        using var admin = wado.Client("a-admin");
        string FileOf(string sop)
        {
            using var db = wado.Seeder.OpenIndex();
            return Path.Combine(wado.Server.Location.StorageRoot, db.Instances.Single(i => i.SopInstanceUid == sop).StoragePath);
        }
        var ctFile = FileOf(ct.SopInstanceUid);
        var mrFile = FileOf(mr.SopInstanceUid);
        Assert.True(File.Exists(ctFile));

        // One instance: its row, file and the counters go; an emptied series and study go with it.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri(WadoServer.InstanceUrl(ct), UriKind.Relative))).StatusCode);
        Assert.False(File.Exists(ctFile));
        Assert.Equal(HttpStatusCode.NotFound, (await Get(admin, WadoServer.InstanceUrl(ct))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(new Uri(WadoServer.InstanceUrl(ct), UriKind.Relative))).StatusCode);
        await using (var db = wado.Seeder.OpenIndex())
        {
            Assert.False(await db.Instances.AnyAsync(i => i.SopInstanceUid == ct.SopInstanceUid));
            if (ct.StudyInstanceUid != mr.StudyInstanceUid) Assert.False(await db.Studies.AnyAsync(s => s.StudyInstanceUid == ct.StudyInstanceUid));
            Assert.False(await db.Series.AnyAsync(s => s.SeriesInstanceUid == ct.SeriesInstanceUid));
        }

        // A whole study.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"dicomweb/studies/{mr.StudyInstanceUid}", UriKind.Relative))).StatusCode);
        Assert.False(File.Exists(mrFile));
        await using (var db = wado.Seeder.OpenIndex())
        {
            Assert.False(await db.Studies.AnyAsync(s => s.StudyInstanceUid == mr.StudyInstanceUid));
            Assert.False(await db.Instances.AnyAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Get(admin, $"dicomweb/studies/{mr.StudyInstanceUid}/metadata")).StatusCode);
        Assert.True(await wado.Server.AuditedAsync("a-admin", "delete", "success"), "audit record of a-admin delete success");

        // The capabilities description is served and names what is implemented.
        var capabilities = await admin.GetStringAsync(new Uri("dicomweb", UriKind.Relative));
        Assert.Contains("WADO-RS frames", capabilities, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Get(HttpClient client, string url)
    {
        var response = await WadoServer.GetAsync(client, url);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
