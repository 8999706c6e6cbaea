using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>
/// Issue 7's loop through the web app as people use it: a clinic technologist uploads a CT series through the portal
/// and asks for a STAT reading; a radiologist signs in through the real login page, finds it on top of the worklist,
/// writes a report in Chinese and English with a critical finding and signs it (a wrong password refused first); the
/// clinic reads the report, downloads the PDF (its text checked with pdftotext) and acknowledges the critical finding;
/// a user of another clinic sees none of it, in the UI or the API. Screenshots of each main page are test artefacts.
/// </summary>
public sealed class TeleReadingEndToEndTests(WebAppHost host, ITestOutputHelper output) : IClassFixture<WebAppHost>
{
    private const string Password = "end to end password";
    private const string Findings = "右肺上叶见一枚 8 mm 实性结节，边缘清楚。 Right upper lobe solid nodule, 8 mm, well defined.";
    private const string Impression = "右肺上叶结节，建议三个月后复查。 RUL nodule: follow-up CT in 3 months.";

    [Fact]
    public async Task Clinic_uploads_and_requests_stat_radiologist_signs_clinic_reads_pdf_and_acknowledges_other_clinic_sees_nothing()
    {
        var centre = await host.Server.AddOrganizationAsync("Central Hospital", centre: true);
        var east = await host.Server.AddOrganizationAsync("Township Clinic East");
        var west = await host.Server.AddOrganizationAsync("Community Clinic West");
        await host.Server.AddUserAsync(east, "technologist", "tech.east", Password);
        await host.Server.AddUserAsync(west, "technologist", "tech.west", Password);
        await host.Server.AddUserAsync(centre, "radiologist", "rad", Password);
        var eastToken = await host.Server.TokenAsync("tech.east", Password);
        var westToken = await host.Server.TokenAsync("tech.west", Password);

        // An older routine request of the same clinic, so "on top" means something.
        await host.Server.SeedAsync(east, [TestPaths.Sample("CT_small.dcm")]);
        var routineStudy = await StudyUidAsync(TestPaths.Sample("CT_small.dcm"));
        using (var api = Api(eastToken))
        {
            var routine = await api.PostAsJsonAsync(new Uri("api/read-requests", UriKind.Relative),
                new { studyInstanceUid = routineStudy, priority = "routine", clinicalQuestion = "routine check" });
            Assert.Equal(HttpStatusCode.Created, routine.StatusCode);
        }

        var ct = Directory.CreateTempSubdirectory("rb-e2e-ct-").FullName;
        try
        {
            var files = await GenerateCtAsync(ct);

            // 1. The clinic uploads the series through the portal and asks for a STAT reading.
            var clinic = await host.Browser.NewPageAsync(eastToken);
            string requestId;
            try
            {
                await Open(clinic, "portal");
                await clinic.Page.ClickAsync("#tab-upload");
                await clinic.Page.SetInputFilesAsync("[data-testid=upload-files]", files);
                await clinic.Page.GetByText($"{files.Length} files stored, 0 failed.").WaitForAsync();
                var uploaded = clinic.Page.Locator("section[aria-labelledby=uploaded-title] tbody tr");
                await uploaded.First.WaitForAsync();
                Assert.Contains("E2E^CHEST", await uploaded.First.InnerTextAsync(), StringComparison.Ordinal);
                await uploaded.First.GetByRole(AriaRole.Button, new() { Name = "Request reading" }).ClickAsync();
                await clinic.Page.GetByLabel("STAT").CheckAsync();
                await clinic.Page.GetByLabel("Clinical question").FillAsync("咳嗽两周，咯血一次 / cough 2 weeks, haemoptysis");
                await clinic.Page.GetByLabel("Body part").FillAsync("CHEST");
                await clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
                // The app navigates with history.pushState: wait for the request page itself, then read its URL.
                await clinic.Page.GetByRole(AriaRole.Heading, new() { Name = "Read request", Level = 1 }).WaitForAsync();
                requestId = clinic.Page.Url.Split('/')[^1];
                Assert.Matches("^[0-9a-f]{32}$", requestId);
                await clinic.Page.Locator(".badge.priority-stat").WaitForAsync();
                await clinic.ScreenshotAsync("e2e-1-clinic-request-created");
            }
            catch
            {
                output.WriteLine(clinic.Log());
                throw;
            }

            // 2. The radiologist signs in through the login page and finds it on top of the worklist.
            var reader = await host.Browser.NewPageAsync();
            try
            {
                await Open(reader, "worklist");
                await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await reader.Page.WaitForURLAsync("**/account/login**");
                await reader.Page.FillAsync("#username", "rad");
                await reader.Page.FillAsync("#password", Password);
                await reader.Page.ClickAsync("button[type=submit]");
                // /callback trades the code for tokens, then goes back to where the sign-in started.
                await reader.Page.GetByRole(AriaRole.Heading, new() { Name = "Worklist", Level = 1 }).WaitForAsync();
                Assert.EndsWith("/worklist", reader.Page.Url, StringComparison.Ordinal);
                var top = reader.Page.Locator("tbody tr[data-index='0']");
                await top.WaitForAsync();
                Assert.Equal(requestId, await top.GetAttributeAsync("data-request-id"));
                Assert.Equal(2, await reader.Page.Locator("tbody tr[data-request-id]").CountAsync());
                await reader.ScreenshotAsync("e2e-2-worklist");

                // 3. Opens it, writes the report in Chinese and English, flags the critical finding, signs.
                await top.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
                await reader.Page.GetByRole(AriaRole.Heading, new() { Name = "Report", Level = 1 }).WaitForAsync();
                Assert.EndsWith($"/read/{requestId}", reader.Page.Url, StringComparison.Ordinal);
                var claim = reader.Page.GetByRole(AriaRole.Button, new() { Name = "Claim and start reading" });
                if (await claim.IsVisibleAsync()) await claim.ClickAsync();

                // The images beside the report: pixels on the canvas in the data set's window (gen_study.py: 40/400),
                // scrolled with the wheel, one length measured.
                await reader.Page.WaitForFunctionAsync("() => window.__radbridgeViewer && window.__radbridgeViewer.ready === true");
                var voi = (await ViewerProbe.StateAsync(reader)).GetProperty("voi");
                Assert.Equal(40, voi.GetProperty("windowCenter").GetDouble(), 3);
                Assert.Equal(400, voi.GetProperty("windowWidth").GetDouble(), 3);
                var variance = await ViewerProbe.CanvasVarianceAsync(reader);
                Assert.True(variance > 100, $"the viewer's canvas looks blank (variance {variance:F1})");
                var box = (await reader.Page.Locator(ViewerProbe.ActiveCanvas).BoundingBoxAsync())!;
                var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2);
                await reader.Page.Mouse.MoveAsync(cx, cy);
                await reader.Page.Mouse.WheelAsync(0, 120);
                await reader.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.imageIndex > 0");
                await reader.Page.ClickAsync("button[data-tool=Length]");
                await reader.Page.Mouse.MoveAsync(cx - box.Width / 4, cy);
                await reader.Page.Mouse.DownAsync();
                await reader.Page.Mouse.MoveAsync(cx, cy + 5, new MouseMoveOptions { Steps = 5 });
                await reader.Page.Mouse.MoveAsync(cx + box.Width / 4, cy + 10, new MouseMoveOptions { Steps = 5 });
                await reader.Page.Mouse.UpAsync();
                await reader.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.measurements.some(m => m.tool === 'Length' && m.stats && m.stats.length > 1)");
                await reader.ScreenshotAsync("e2e-3-viewer");
                await reader.Page.GetByLabel("Findings").FillAsync(Findings);
                await reader.Page.GetByLabel("Impression").FillAsync(Impression);
                await reader.Page.GetByLabel("Critical finding (the clinic must acknowledge it)").CheckAsync();
                await reader.Page.Locator(".save-saved").WaitForAsync();
                await reader.ScreenshotAsync("e2e-3-report-editor");

                await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
                var dialog = reader.Page.Locator("dialog[open]");
                await dialog.GetByLabel("Password").FillAsync("not my password");
                await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
                await dialog.Locator("[role=alert]").WaitForAsync();
                Assert.NotEmpty((await dialog.Locator("[role=alert]").InnerTextAsync()).Trim());
                await dialog.GetByLabel("Password").FillAsync(Password);
                await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
                await reader.Page.Locator(".badge.status-signed, .badge.status-delivered").WaitForAsync(new() { Timeout = 60_000 });
            }
            catch
            {
                output.WriteLine(reader.Log());
                throw;
            }

            // 4. The clinic sees the signed report (live), downloads the PDF and acknowledges the critical finding.
            try
            {
                await clinic.Page.Locator("[data-testid=report-findings]").WaitForAsync(new() { Timeout = 60_000 });
                Assert.Equal(Findings, (await clinic.Page.Locator("[data-testid=report-findings]").InnerTextAsync()).Trim());
                await clinic.Page.Locator(".critical-banner").WaitForAsync();
                await clinic.ScreenshotAsync("e2e-4-clinic-report");
                var download = await clinic.Page.RunAndWaitForDownloadAsync(() =>
                    clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Download PDF" }).ClickAsync());
                var pdf = Path.Combine(ct, "report.pdf");
                await download.SaveAsAsync(pdf);
                var text = await PdfTextAsync(pdf);
                Assert.Contains("右肺上叶", text, StringComparison.Ordinal);
                Assert.Contains("Right upper lobe", text, StringComparison.Ordinal);

                await clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge critical finding" }).ClickAsync();
                await clinic.Page.GetByText("Critical finding acknowledged by tech.east").WaitForAsync();
                Assert.Equal(0, await clinic.Page.Locator(".critical-banner").CountAsync());
            }
            catch
            {
                output.WriteLine(clinic.Log());
                throw;
            }

            // 5. Another clinic sees none of it: not in its portal, not through the API.
            var other = await host.Browser.NewPageAsync(westToken);
            try
            {
                await Open(other, "portal");
                await other.Page.GetByText("No read requests yet").WaitForAsync();
                await other.Page.ClickAsync("#tab-studies");
                await other.Page.GetByText("No studies.").WaitForAsync();
                Assert.DoesNotContain("E2E^CHEST", await other.Page.InnerTextAsync("main"), StringComparison.Ordinal);
                await Open(other, $"requests/{requestId}");
                await other.Page.Locator("[role=alert]").WaitForAsync();
                Assert.Equal(0, await other.Page.Locator("[data-testid=report-findings]").CountAsync());
            }
            catch
            {
                output.WriteLine(other.Log());
                throw;
            }
            using (var api = Api(westToken))
            {
                Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(new Uri($"api/read-requests/{requestId}", UriKind.Relative))).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(new Uri($"api/read-requests/{requestId}/report.pdf", UriKind.Relative))).StatusCode);
                using var list = JsonDocument.Parse(await api.GetStringAsync(new Uri("api/read-requests", UriKind.Relative)));
                Assert.Equal(0, list.RootElement.GetProperty("total").GetInt32());
            }
        }
        finally
        {
            Directory.Delete(ct, recursive: true);
        }
    }

    private async Task Open(BrowserPage page, string path)
    {
        var response = await page.Page.GotoAsync(new Uri(host.Server.BaseUrl, path).ToString());
        Assert.Equal(200, response?.Status);
    }

    private HttpClient Api(AccessToken token)
    {
        var http = host.Server.Server.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return http;
    }

    /// <summary>A small CT series (12 slices of 128×128) from the shared benchmark's generator, Chinese-capable UTF-8.</summary>
    private static async Task<string[]> GenerateCtAsync(string dir)
    {
        var generator = Path.GetFullPath(Path.Combine(TestPaths.Samples, "..", "bench-peer", "gen_study.py"));
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { generator, "ct", "--out", dir, "--slices", "12", "--rows", "128", "--cols", "128", "--seed", "7707",
                     "--charset", "utf8", "--patient-name", "E2E^CHEST", "--patient-id", "E2E-0001" })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"gen_study.py: {await stderr}");
        return [.. Directory.GetFiles(dir, "*.dcm").Order(StringComparer.Ordinal)];
    }

    private static async Task<string> StudyUidAsync(string file)
    {
        var dicom = await DicomFile.OpenAsync(file);
        return dicom.Dataset.GetString(DicomTags.StudyInstanceUID)!;
    }

    private static async Task<string> PdfTextAsync(string pdf)
    {
        var psi = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-enc");
        psi.ArgumentList.Add("UTF-8");
        psi.ArgumentList.Add(pdf);
        psi.ArgumentList.Add("-");
        using var process = Process.Start(psi)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return text;
    }
}
