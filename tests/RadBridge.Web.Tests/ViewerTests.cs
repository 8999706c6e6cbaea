using System.Text.Json;
using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>
/// The Cornerstone3D viewer in headless chromium against a real server: pixels on the canvas, the data set's own
/// window, scrolling, presets, a length measurement in Cornerstone's annotation state, the prior study, and a user of
/// another organisation who gets an error and no pixels.
/// </summary>
public sealed class ViewerTests(ViewerFixture fixture, ITestOutputHelper output) : IClassFixture<ViewerFixture>
{
    private const string ActiveCanvas = ".rbv-vp.rbv-active .rbv-vp-canvas";

    [Fact]
    public async Task Opens_the_ct_with_pixels_on_the_canvas_and_the_data_sets_window()
    {
        var page = await fixture.OpenViewerAsync(ViewerFixture.ClinicUser, fixture.Current.StudyInstanceUid);
        await Run(page, async () =>
        {
            var state = await StateAsync(page);
            Assert.True(state.GetProperty("ready").GetBoolean(), state.ToString());
            Assert.Equal(fixture.Current.SeriesInstanceUid, state.GetProperty("seriesInstanceUid").GetString());
            Assert.Equal(ViewerFixture.Slices, state.GetProperty("imageCount").GetInt32());
            Assert.Equal(0, state.GetProperty("imageIndex").GetInt32());
            // gen_study.py writes Window Center 40 / Width 400 (abdomen); the viewer starts with the data set's window.
            var voi = state.GetProperty("voi");
            Assert.Equal(40, voi.GetProperty("windowCenter").GetDouble(), 3);
            Assert.Equal(400, voi.GetProperty("windowWidth").GetDouble(), 3);

            var variance = await CanvasVarianceAsync(page);
            output.WriteLine($"canvas luminance variance: {variance:F1}");
            Assert.True(variance > 100, $"the canvas looks blank (variance {variance:F1})");
            Assert.True(await page.Page.EvaluateAsync<bool>("() => performance.getEntriesByName('first-image').length === 1"));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("viewer-ct-opened")}");

            // The whole series is prefetched, and every pixel came through the authenticated WADO-RS frames.
            await page.Page.WaitForFunctionAsync($"() => window.__radbridgeViewer.loadedCount === {ViewerFixture.Slices}");
            var frames = page.Responses.Where(r => r.Url.Contains("/frames/", StringComparison.Ordinal)).ToList();
            Assert.Equal(ViewerFixture.Slices, frames.Count(r => r.Status == 200));
            var origin = fixture.Host.Server.BaseUrl.GetLeftPart(UriPartial.Authority);
            Assert.All(page.Responses, r => Assert.True(r.Url.StartsWith(origin, StringComparison.Ordinal) || r.Url.StartsWith("data:", StringComparison.Ordinal) || r.Url.StartsWith("blob:", StringComparison.Ordinal), r.Url));

            // The codecs ship with the app (WebAssembly beside the bundle), none is fetched from elsewhere at run time.
            var wasm = Directory.GetFiles(Path.Combine(fixture.Host.Server.WebRoot, "assets"), "*.wasm").Select(Path.GetFileName).ToList();
            foreach (var codec in new[] { "charls", "openjpeg", "libjpegturbo", "openjph" })
                Assert.True(wasm.Any(f => f!.StartsWith(codec, StringComparison.Ordinal)), $"no {codec} wasm in the built app: {string.Join(", ", wasm)}");

            // The patient's other study is offered beside the current one.
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.priorStudyInstanceUids.length === 1");
            Assert.Contains(fixture.Prior.StudyInstanceUid, await page.Page.EvaluateAsync<string[]>("() => window.__radbridgeViewer.priorStudyInstanceUids"));
        });
    }

    [Fact]
    public async Task Scrolling_presets_and_a_length_measurement_change_the_viewer_state()
    {
        var page = await fixture.OpenViewerAsync(ViewerFixture.ClinicUser, fixture.Current.StudyInstanceUid);
        await Run(page, async () =>
        {
            var canvas = page.Page.Locator(ActiveCanvas);
            var box = (await canvas.BoundingBoxAsync())!;
            var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2);

            // Mouse wheel scrolls the stack; the keyboard too.
            await page.Page.Mouse.MoveAsync(cx, cy);
            await page.Page.Mouse.WheelAsync(0, 120);
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.imageIndex > 0");
            var afterWheel = (await StateAsync(page)).GetProperty("imageIndex").GetInt32();
            await page.Page.Keyboard.PressAsync("ArrowDown");
            await page.Page.WaitForFunctionAsync($"() => window.__radbridgeViewer.imageIndex === {afterWheel + 1}");

            // Key 2 is the lung preset; the Bone button the bone one.
            await page.Page.Keyboard.PressAsync("2");
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.voi.windowWidth === 1500");
            var voi = (await StateAsync(page)).GetProperty("voi");
            Assert.Equal(-600, voi.GetProperty("windowCenter").GetDouble(), 3);
            await page.Page.ClickAsync("button[data-preset=bone]");
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.voi.windowWidth === 1800 && window.__radbridgeViewer.voi.windowCenter === 400");

            // A length measurement: the Length tool, one drag on the image.
            await page.Page.ClickAsync("button[data-tool=Length]");
            await page.Page.Mouse.MoveAsync(cx - 60, cy);
            await page.Page.Mouse.DownAsync();
            await page.Page.Mouse.MoveAsync(cx, cy + 10, new MouseMoveOptions { Steps = 5 });
            await page.Page.Mouse.MoveAsync(cx + 60, cy + 20, new MouseMoveOptions { Steps = 5 });
            await page.Page.Mouse.UpAsync();
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.measurements.some(m => m.tool === 'Length')");
            var length = (await StateAsync(page)).GetProperty("measurements").EnumerateArray().First(m => m.GetProperty("tool").GetString() == "Length");
            output.WriteLine($"length: {length}");
            Assert.True(length.GetProperty("stats").GetProperty("length").GetDouble() > 1, length.ToString());

            // The tags panel shows the current image's attributes.
            Assert.Equal("256", await page.Page.Locator(".rbv-tags tr[data-tag='00280010'] td").Nth(3).TextContentAsync());
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("viewer-ct-measured")}");
        });
    }

    [Fact]
    public async Task A_user_of_another_organisation_gets_an_error_and_no_pixels()
    {
        var page = await fixture.OpenViewerAsync(ViewerFixture.OtherUser, fixture.Current.StudyInstanceUid);
        await Run(page, async () =>
        {
            var state = await StateAsync(page);
            Assert.Equal("error", state.GetProperty("status").GetString());
            Assert.False(state.GetProperty("ready").GetBoolean());
            Assert.Contains("not found", state.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.True(await page.Page.Locator(".rbv-error").IsVisibleAsync());
            Assert.Equal(0, await page.Page.Locator(".rbv-vp-canvas canvas").CountAsync());
            // The server kept the study to its organisation: searches found nothing (or were refused), no metadata
            // was asked for, nothing with pixels was answered (no frames, no rendered images, no thumbnails).
            var dicomweb = page.Responses.Where(r => r.Url.Contains("/dicomweb/", StringComparison.Ordinal)).ToList();
            output.WriteLine(string.Join("\n", dicomweb.Select(r => $"{r.Status} {r.Url}")));
            Assert.NotEmpty(dicomweb);
            Assert.All(dicomweb, r => Assert.Contains(r.Status, new[] { 200, 204, 403, 404 }));
            Assert.DoesNotContain(dicomweb, r => r.Url.Contains("/metadata", StringComparison.Ordinal));
            Assert.DoesNotContain(page.Responses, r => r.Status == 200 && (r.Url.Contains("/frames/", StringComparison.Ordinal) || r.Url.Contains("/rendered", StringComparison.Ordinal) || r.Url.Contains("/thumbnail", StringComparison.Ordinal)));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("viewer-other-organisation")}");
        });
    }

    [Fact]
    public async Task Ellipse_roi_reads_hounsfield_units_and_cine_layouts_priors_and_mpr_work()
    {
        var page = await fixture.OpenViewerAsync(ViewerFixture.ClinicUser, fixture.Current.StudyInstanceUid);
        await Run(page, async () =>
        {
            var box = (await page.Page.Locator(ActiveCanvas).BoundingBoxAsync())!;
            var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2);

            // An elliptical ROI in the soft tissue above the aorta (gen_study.py: 40 HU + texture, noise sd 18 HU):
            // the statistics are in HU (rescaled), not in stored values (which are 1024 higher).
            await page.Page.ClickAsync("button[data-tool=EllipticalROI]");
            await page.Page.Mouse.MoveAsync(cx - 30, cy - 70);
            await page.Page.Mouse.DownAsync();
            await page.Page.Mouse.MoveAsync(cx + 30, cy - 40, new MouseMoveOptions { Steps = 6 });
            await page.Page.Mouse.UpAsync();
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.measurements.some(m => m.tool === 'EllipticalROI' && typeof m.stats.mean === 'number')");
            var roi = (await StateAsync(page)).GetProperty("measurements").EnumerateArray().First(m => m.GetProperty("tool").GetString() == "EllipticalROI");
            output.WriteLine($"ROI: {roi}");
            var stats = roi.GetProperty("stats");
            Assert.Equal("HU", stats.GetProperty("modalityUnit").GetString());
            Assert.InRange(stats.GetProperty("mean").GetDouble(), 0, 100);
            Assert.InRange(stats.GetProperty("stdDev").GetDouble(), 5, 60);
            Assert.True(stats.GetProperty("area").GetDouble() > 10, roi.ToString());

            // Cine plays through the stack until stopped.
            var before = (await StateAsync(page)).GetProperty("imageIndex").GetInt32();
            await page.Page.ClickAsync("button[data-action=cine]");
            await page.Page.WaitForFunctionAsync($"() => window.__radbridgeViewer.cine.playing && window.__radbridgeViewer.imageIndex !== {before}");
            await page.Page.ClickAsync("button[data-action=cine]");
            Assert.False((await StateAsync(page)).GetProperty("cine").GetProperty("playing").GetBoolean());

            // 1×2 with the prior study in the second viewport, side by side.
            await page.Page.ClickAsync("button[data-layout='1x2']");
            Assert.Equal(2, await page.Page.Locator(".rbv-vp").CountAsync());
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.priorStudyInstanceUids.length === 1");
            await page.Page.Locator(".rbv-vp").Nth(1).ClickAsync();
            await page.Page.ClickAsync($".rbv-study-box[data-study='{fixture.Prior.StudyInstanceUid}'] .rbv-series-item");
            await page.Page.WaitForFunctionAsync($"() => window.__radbridgeViewer.seriesInstanceUid === '{fixture.Prior.SeriesInstanceUid}' && window.__radbridgeViewer.imageCount === 6");
            await page.Page.WaitForTimeoutAsync(300);
            foreach (var i in new[] { 0, 1 })
            {
                var v = await VarianceAsync(page, page.Page.Locator(".rbv-vp-canvas").Nth(i));
                Assert.True(v > 100, $"viewport {i} of 1×2 looks blank (variance {v:F1})");
            }
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("viewer-1x2-prior")}");

            // MPR of the current CT: three orthographic views of the volume, each with pixels.
            await page.Page.Locator(".rbv-vp").Nth(0).ClickAsync();
            await page.Page.ClickAsync("button[data-action=mpr]");
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer.mode === 'mpr' && document.querySelectorAll('.rbv-vp-canvas canvas').length === 3");
            await page.Page.WaitForTimeoutAsync(1500);
            for (var i = 0; i < 3; i++)
            {
                var v = await VarianceAsync(page, page.Page.Locator(".rbv-vp-canvas").Nth(i));
                Assert.True(v > 50, $"MPR view {i} looks blank (variance {v:F1})");
            }
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("viewer-mpr")}");
        });
    }

    [Theory]
    [InlineData("CT2_JLSN.dcm", "1.2.840.10008.1.2.4.81", 0.0)]
    // Lossy JPEG 2000: the browser's OpenJPEG build and the reference decoder may round the inverse wavelet differently.
    [InlineData("CT1_J2KI.dcm", "1.2.840.10008.1.2.4.91", 1.0)]
    public async Task Compressed_ct_is_decoded_in_the_browser_as_dcmtk_decodes_it(string sample, string transferSyntax, double tolerance)
    {
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(sample, ".json"))));
        var root = expected.RootElement;
        Assert.Equal(transferSyntax, root.GetProperty("transfer_syntax_uid").GetString());
        var pixel = root.GetProperty("pixel");
        var image = root.GetProperty("image");

        var page = await fixture.OpenViewerAsync(ViewerFixture.ClinicUser, root.GetProperty("study_instance_uid").GetString()!);
        await Run(page, async () =>
        {
            Assert.True((await StateAsync(page)).GetProperty("ready").GetBoolean());
            // The frame travelled compressed (the stored transfer syntax) and was decoded by the bundled wasm codec.
            var frame = page.Responses.Single(r => r.Url.Contains("/frames/", StringComparison.Ordinal));
            Assert.Equal(200, frame.Status);
            // (The same request again, as Cornerstone sends it: the part's Content-Type names the transfer syntax.)
            var partHeaders = await page.Page.EvaluateAsync<string>(
                $"async () => new TextDecoder('latin1').decode((await (await fetch({JsonSerializer.Serialize(frame.Url)}, {{ headers: {{ Accept: 'multipart/related; type=application/octet-stream; transfer-syntax=*', Authorization: 'Bearer ' + JSON.parse(sessionStorage.getItem('radbridge.auth')).accessToken }} }})).arrayBuffer()).slice(0, 400))");
            Assert.Contains($"transfer-syntax={transferSyntax}", partHeaders, StringComparison.Ordinal);

            var stats = await page.Page.EvaluateAsync<JsonElement>("() => window.__radbridgeViewerPixels()");
            output.WriteLine($"{sample}: browser {stats}, dcmtk min {pixel.GetProperty("min")} max {pixel.GetProperty("max")} mean {pixel.GetProperty("mean")}");
            Assert.Equal(pixel.GetProperty("shape")[1].GetInt32() * pixel.GetProperty("shape")[2].GetInt32(), stats.GetProperty("count").GetInt32());
            // Cornerstone may hand out rescaled values (HU); the reference values are stored values.
            var (slope, intercept) = stats.GetProperty("scaled").GetBoolean()
                ? (image.GetProperty("RescaleSlope").GetDouble(), image.GetProperty("RescaleIntercept").GetDouble())
                : (1.0, 0.0);
            Assert.Equal(pixel.GetProperty("min").GetDouble() * slope + intercept, stats.GetProperty("min").GetDouble(), tolerance);
            Assert.Equal(pixel.GetProperty("max").GetDouble() * slope + intercept, stats.GetProperty("max").GetDouble(), tolerance);
            Assert.Equal(pixel.GetProperty("mean").GetDouble() * slope + intercept, stats.GetProperty("mean").GetDouble(), 0.01 + tolerance / 10);
            Assert.True(await CanvasVarianceAsync(page) > 100);
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("viewer-" + Path.GetFileNameWithoutExtension(sample))}");
        });
    }

    private static Task<JsonElement> StateAsync(BrowserPage page) => ViewerProbe.StateAsync(page);

    private static Task<double> CanvasVarianceAsync(BrowserPage page) => ViewerProbe.CanvasVarianceAsync(page);

    private static Task<double> VarianceAsync(BrowserPage page, ILocator element) => ViewerProbe.VarianceAsync(page, element);

    private async Task Run(BrowserPage page, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            output.WriteLine(page.Log());
            await page.ScreenshotAsync("viewer-failure-" + Guid.NewGuid().ToString("N")[..8]);
            throw;
        }
        finally
        {
            await page.Page.CloseAsync();
        }
    }
}
