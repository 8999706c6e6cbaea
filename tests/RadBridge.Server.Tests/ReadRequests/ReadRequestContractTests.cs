using System.Net;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests.ReadRequests;

/// <summary>
/// Issue 7's exact contracts on a running server: create → claim → report → sign with the password → delivered; QIDO
/// then lists a Basic Text SR series and an Encapsulated PDF (DOC) series in the study; report.pdf is that PDF, and
/// poppler's pdftotext finds the findings in it, Chinese included.
/// </summary>
public sealed class ReadRequestContractTests(ReadRequestServerFixture fixture) : IClassFixture<ReadRequestServerFixture>
{
    private const string Findings = "右肺上叶尖段见一实性结节，大小约9mm，边缘分叶。 A 9 mm lobulated solid nodule in the apical segment of the right upper lobe.";
    private const string Impression = "右肺上叶结节，建议增强CT。 RUL nodule; contrast CT advised.";

    [Fact]
    public async Task Signing_stores_sr_and_pdf_in_the_study_and_report_pdf_has_the_chinese_findings()
    {
        using var east = fixture.Client("tech.east");
        using var rad = fixture.Client("rad");
        var study = fixture.EastStudies[0];
        var id = await Api.CreateAsync(east, study);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, $"api/read-requests/{id}/claim")).Response.StatusCode);
        var (saved, draft) = await Api.PutAsync(rad, $"api/read-requests/{id}/report", new { findings = Findings, impression = Impression, language = "zh-CN" });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, draft.ToString());

        var (signed, view) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password });
        Assert.True(signed.StatusCode == HttpStatusCode.OK, view.ToString());
        Assert.Equal("delivered", view.GetProperty("status").GetString());
        Assert.Equal("delivered", (await Api.GetAsync(east, $"api/read-requests/{id}")).Json.GetProperty("status").GetString());

        // QIDO, as the clinic: the study now has an SR and a DOC series besides its CT.
        var (qido, series) = await Api.GetAsync(east, $"dicomweb/studies/{study}/series");
        Assert.Equal(HttpStatusCode.OK, qido.StatusCode);
        var modalities = series.EnumerateArray().Select(s => s.GetProperty("00080060").GetProperty("Value")[0].GetString()).ToList();
        Assert.Contains("SR", modalities);
        Assert.Contains("DOC", modalities);
        Assert.Contains("CT", modalities);

        // report.pdf is the stored PDF, and its text holds the findings.
        using var pdfResponse = await east.GetAsync(new Uri($"api/read-requests/{id}/report.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var pdf = await pdfResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        var text = await PdfTextAsync(pdf);
        Assert.Contains(Squeeze("右肺上叶尖段见一实性结节"), Squeeze(text), StringComparison.Ordinal);
        Assert.Contains(Squeeze("9 mm lobulated solid nodule"), Squeeze(text), StringComparison.Ordinal);
        Assert.Contains(Squeeze("建议增强CT"), Squeeze(text), StringComparison.Ordinal);

        // The centre reads it too; another clinic does not; a trainee is refused the identifying PDF.
        using var rad2 = fixture.Client("rad2");
        Assert.Equal(HttpStatusCode.OK, (await rad2.GetAsync(new Uri($"api/read-requests/{id}/report.pdf", UriKind.Relative))).StatusCode);
        using var west = fixture.Client("tech.west");
        Assert.Equal(HttpStatusCode.NotFound, (await west.GetAsync(new Uri($"api/read-requests/{id}/report.pdf", UriKind.Relative))).StatusCode);
        using var trainee = fixture.Client("trainee");
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.GetAsync(new Uri($"api/read-requests/{id}/report.pdf", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_amendment_is_signed_as_version_two_and_stored_as_a_second_sr_and_pdf()
    {
        using var east = fixture.Client("tech.east");
        using var rad = fixture.Client("rad2");
        var study = fixture.EastStudies[1];
        var id = await Api.CreateAsync(east, study, "urgent");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, $"api/read-requests/{id}/claim")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(rad, $"api/read-requests/{id}/report", new { findings = "左肺下叶少许炎症。 Minor inflammation, left lower lobe.", impression = "炎症 inflammation", language = "zh-CN" })).Response.StatusCode);
        Assert.Equal("delivered", (await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password })).Json.GetProperty("status").GetString());

        var (amended, amendView) = await Api.PostAsync(rad, $"api/read-requests/{id}/amend", new { reason = "侧别错误 wrong side" });
        Assert.True(amended.StatusCode == HttpStatusCode.OK, amendView.ToString());
        Assert.Equal("amended", amendView.GetProperty("status").GetString());
        Assert.Equal(2, amendView.GetProperty("reportVersion").GetInt32());
        var (draftSaved, draft) = await Api.PutAsync(rad, $"api/read-requests/{id}/report", new { findings = "右肺下叶少许炎症。 Minor inflammation, right lower lobe.", impression = "炎症 inflammation" });
        Assert.True(draftSaved.StatusCode == HttpStatusCode.OK, draft.ToString());
        Assert.Equal(2, draft.GetProperty("version").GetInt32());
        Assert.Equal("侧别错误 wrong side", draft.GetProperty("amendmentReason").GetString());
        // Meanwhile the clinic still reads the signed version 1.
        Assert.Equal(1, (await Api.GetAsync(east, $"api/read-requests/{id}/report")).Json.GetProperty("version").GetInt32());

        var (signed, view) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password });
        Assert.True(signed.StatusCode == HttpStatusCode.OK, view.ToString());
        Assert.Equal("delivered", view.GetProperty("status").GetString());
        var (_, srInstances) = await Api.GetAsync(east, $"dicomweb/studies/{study}/instances?Modality=SR");
        Assert.Equal(2, srInstances.GetArrayLength());
        var text = Squeeze(await PdfTextAsync(await east.GetByteArrayAsync(new Uri($"api/read-requests/{id}/report.pdf", UriKind.Relative))));
        Assert.Contains(Squeeze("右肺下叶少许炎症"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Squeeze("左肺下叶少许炎症"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signer_with_a_second_factor_has_a_one_time_code_sent_with_the_signature_checked()
    {
        // Enrol rad.totp's second factor over the API, with codes from oathtool (RFC 6238, not ours).
        using var basic = fixture.Client("rad.totp");
        using var enrolment = await basic.PostAsync(new Uri("api/me/totp", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, enrolment.StatusCode);
        var secret = System.Text.Json.JsonDocument.Parse(await enrolment.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        var codes = await CodesAsync(secret);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(basic, "api/me/totp/confirm", new { code = codes.Previous })).Response.StatusCode);
        using var rad = fixture.Server.Client();
        rad.DefaultRequestHeaders.Authorization = Api.Bearer(await TokenWithCodeAsync("rad.totp", codes.Current));

        using var east = fixture.Client("tech.east");
        var id = await Api.CreateAsync(east, fixture.EastStudies[2]);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, $"api/read-requests/{id}/claim")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(rad, $"api/read-requests/{id}/report", new { findings = "未见异常 No abnormality.", impression = "正常 normal" })).Response.StatusCode);

        // A code sent with the signature is checked (the session already passed the second factor at login).
        var (wrongCode, problem) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password, code = "000000" == codes.Next ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.Forbidden, wrongCode.StatusCode);
        Assert.Contains("one-time code", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (signed, view) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password, code = codes.Next });
        Assert.True(signed.StatusCode == HttpStatusCode.OK, view.ToString());
        Assert.Equal("delivered", view.GetProperty("status").GetString());
        Assert.Equal("rad.totp", view.GetProperty("signedBy").GetString());
    }

    private async Task<string> TokenWithCodeAsync(string user, string code)
    {
        using var http = fixture.Server.Client();
        using var form = new FormUrlEncodedContent([new("grant_type", "password"), new("username", user), new("password", ReadRequestServerFixture.Password), new("totp", code)]);
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), form);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    /// <summary>The codes of the previous, current and next 30 s step, away from a step boundary (as TotpTests does).</summary>
    private static async Task<(string Previous, string Current, string Next)> CodesAsync(string secret)
    {
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 30 is >= 20) await Task.Delay(500);
        var now = DateTimeOffset.UtcNow;
        async Task<string> At(DateTimeOffset t)
        {
            var result = await Dcmtk.RunAsync("oathtool", ["--totp", "--base32", "--now", t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture), secret]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output.Trim();
        }
        return (await At(now.AddSeconds(-30)), await At(now), await At(now.AddSeconds(30)));
    }

    [Fact]
    public async Task The_read_request_api_is_documented_in_openapi()
    {
        using var http = fixture.Server.Client();
        var (response, document) = await Api.GetAsync(http, "openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.GetProperty("paths");
        foreach (var (path, method, operation) in new[]
                 {
                     ("/api/read-requests", "post", "CreateReadRequest"),
                     ("/api/read-requests", "get", "ListReadRequests"),
                     ("/api/read-requests/{id}", "get", "GetReadRequest"),
                     ("/api/read-requests/{id}/claim", "post", "ClaimReadRequest"),
                     ("/api/read-requests/{id}/report", "put", "SaveReport"),
                     ("/api/read-requests/{id}/sign", "post", "SignReport"),
                     ("/api/read-requests/{id}/report.pdf", "get", "GetReportPdf"),
                     ("/api/read-requests/{id}/acknowledge-critical", "post", "AcknowledgeCriticalFinding"),
                     ("/api/routing-rules", "put", "ReplaceRoutingRules"),
                 })
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out var op), $"{method} {path} is not in the OpenAPI document");
            Assert.Equal(operation, op.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrEmpty(op.GetProperty("summary").GetString()));
        }
    }

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rb-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var result = await Dcmtk.RunAsync("pdftotext", ["-enc", "UTF-8", path, "-"]);
            Assert.True(result.ExitCode == 0, result.Output);
            return result.Output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Without white space: pdftotext breaks and spaces lines its own way.</summary>
    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
