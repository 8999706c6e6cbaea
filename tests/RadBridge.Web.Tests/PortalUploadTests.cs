using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>
/// The portal's folder upload against the real STOW-RS endpoint: files without the Part 10 preamble are skipped, a
/// damaged instance is listed with the archive's reason while the good ones are stored, and "retry" sends only the
/// failed file again.
/// </summary>
public sealed class PortalUploadTests(WebAppHost host, ITestOutputHelper output) : IClassFixture<WebAppHost>
{
    private const string Password = "upload test password";

    [Fact]
    public async Task Skips_non_dicom_lists_the_damaged_file_with_its_reason_and_retry_resends_only_it()
    {
        var clinic = await host.Server.AddOrganizationAsync("Upload Clinic");
        await host.Server.AddUserAsync(clinic, "technologist", "upload.tech", Password);
        var token = await host.Server.TokenAsync("upload.tech", Password);

        var dir = Directory.CreateTempSubdirectory("rb-upload-").FullName;
        try
        {
            var good = Path.Combine(dir, "good.dcm");
            File.Copy(TestPaths.Sample("CT_small.dcm"), good);
            var broken = Path.Combine(dir, "broken.dcm");
            // The preamble and "DICM" pass the browser's check; the archive finds the data set cut short.
            await File.WriteAllBytesAsync(broken, (await File.ReadAllBytesAsync(good))[..600]);
            var text = Path.Combine(dir, "readme.txt");
            await File.WriteAllTextAsync(text, "not a DICOM file, long enough to have 132 bytes ............................................................................");

            var page = await host.Browser.NewPageAsync(token);
            try
            {
                await page.Page.GotoAsync(new Uri(host.Server.BaseUrl, "portal").ToString());
                await page.Page.ClickAsync("#tab-upload");
                await page.Page.SetInputFilesAsync("[data-testid=upload-files]", [good, broken, text]);
                await page.Page.GetByText("1 files stored, 1 failed.").WaitForAsync();
                await page.Page.GetByText("1 files are not DICOM and were skipped").WaitForAsync();
                var failures = page.Page.Locator(".failures li");
                Assert.Equal(1, await failures.CountAsync());
                var failure = await failures.First.InnerTextAsync();
                Assert.StartsWith("broken.dcm — ", failure, StringComparison.Ordinal);
                Assert.True(failure.Length > "broken.dcm — ".Length + 10, failure);
                // One batch of both files, answered 202, then each file alone to tell which one failed.
                Assert.Equal(3, StowPosts(page));

                await page.Page.GetByRole(AriaRole.Button, new() { Name = "Retry the 1 failed files" }).ClickAsync();
                await page.Page.Locator(".failures li").First.WaitForAsync();
                await page.Page.GetByText("1 files stored, 1 failed.").WaitForAsync();
                // The response events reach the test a moment after the page shows the result.
                for (var i = 0; i < 50 && StowPosts(page) < 4; i++) await Task.Delay(100);
                await Task.Delay(500);
                Assert.Equal(4, StowPosts(page));
                await page.ScreenshotAsync("upload-failed-and-retried");
            }
            catch
            {
                output.WriteLine(page.Log());
                throw;
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int StowPosts(BrowserPage page) =>
        page.Responses.Count(r => r.Method == "POST" && r.Url.EndsWith("/dicomweb/studies", StringComparison.Ordinal));
}
