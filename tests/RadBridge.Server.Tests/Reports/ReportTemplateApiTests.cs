using System.Net;
using System.Text.Json;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests.Reports;

/// <summary><c>GET /api/report-templates</c> on a running <c>radbridge serve</c>: authorised, the contract's JSON shape, in OpenAPI.</summary>
public sealed class ReportTemplateApiTests
{
    private const string Password = "templates-password-1";

    [Fact]
    public async Task Templates_for_a_study_in_both_languages_for_signed_in_users_only()
    {
        await using var server = await ServerProcess.StartAsync();
        var centre = await server.AddOrganizationAsync("Centre", centre: true);
        await server.AddUserAsync(centre, ArchiveRoles.Radiologist, "dr.templates", Password);

        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("api/report-templates", UriKind.Relative))).StatusCode);

        using var http = server.Client("dr.templates", Password);
        using var response = await http.GetAsync(new Uri("api/report-templates?modality=CT&bodyPart=CHEST", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var templates = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["ct-chest-en", "ct-chest-zh", "generic-en", "generic-zh"], templates.Select(t => t.GetProperty("id").GetString()));

        var zh = templates.Single(t => t.GetProperty("id").GetString() == "ct-chest-zh");
        Assert.Equal("CT", zh.GetProperty("modality").GetString());
        Assert.Equal("CHEST", zh.GetProperty("bodyPart").GetString());
        Assert.Equal("zh-CN", zh.GetProperty("language").GetString());
        Assert.Contains("胸部", zh.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Contains("肺", zh.GetProperty("findings").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(zh.GetProperty("impression").GetString()));
        var lungRads = zh.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("key").GetString() == "lungRads");
        Assert.Equal("Lung-RADS 分类", lungRads.GetProperty("label").GetString());
        Assert.Contains("4A", lungRads.GetProperty("options").EnumerateArray().Select(o => o.GetString()));

        using var mammo = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/report-templates?modality=MG&language=en", UriKind.Relative)));
        Assert.Equal(["mg-breast-en", "generic-en"], mammo.RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()));

        var openApi = await http.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative));
        using var doc = JsonDocument.Parse(openApi);
        var operation = doc.RootElement.GetProperty("paths").GetProperty("/api/report-templates").GetProperty("get");
        Assert.Equal("GetReportTemplates", operation.GetProperty("operationId").GetString());
        Assert.Equal(["modality", "bodyPart", "language"], operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }
}
