using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

// The web viewer benchmark: a generated CT (300 slices of 512×512 by default) in a real server, opened RUNS times in
// a fresh headless chromium each (cold HTTP cache), timing (from the page's navigation start and from the viewer's
// mount) the first image on screen and the whole series loaded, then checking the last slice is reachable at once.
// Goals (issue 7): first image ≤ 300 ms, all slices loaded ≤ 3 s.

var slices = Arg("--slices", 300);
var size = Arg("--size", 512);
var runs = Arg("--runs", 5);
var outPath = ArgString("--out", null);

Console.WriteLine($"==> generating a {slices}-slice {size}×{size} CT (gen_study.py)");
var ct = await GeneratedCt.CreateAsync(slices, size, seed: 4242, patientId: "BENCH-VIEWER", patientName: "Bench^Viewer");
await using var server = await WebAppServer.StartAsync();
var org = await server.AddOrganizationAsync("Bench Clinic");
await server.AddUserAsync(org, "technologist", "bench.viewer", "bench viewer password");
var seed = Stopwatch.StartNew();
await server.SeedAsync(org, ct.Files);
Console.WriteLine($"    seeded {ct.Files.Count} instances in {seed.Elapsed.TotalSeconds:F1} s; server {server.BaseUrl}");

var samples = new List<Sample>();
string? breakdown = null;
// Run 0 warms the server (JIT, the OS file cache) and is not counted: a clinic's server has long been running.
for (var run = -1; run < runs; run++)
{
    await using var browser = await Browser.LaunchAsync(1600, 1000);
    var token = await server.TokenAsync("bench.viewer", "bench viewer password");
    var page = await browser.NewPageAsync(token);
    await page.Page.AddInitScriptAsync("performance.setResourceTimingBufferSize(5000)");
    await page.Page.GotoAsync(new Uri(server.BaseUrl, $"viewer/{ct.StudyInstanceUid}").ToString());
    await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer?.ready || window.__radbridgeViewer?.status === 'error'", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
    await page.Page.WaitForFunctionAsync($"() => window.__radbridgeViewer.loadedCount === {slices} || window.__radbridgeViewer.status === 'error'", null, new PageWaitForFunctionOptions { Timeout = 300_000 });
    var marks = await page.Page.EvaluateAsync<JsonElement>(
        """
        () => {
          const t = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
          const loaded = performance.getEntriesByType('mark').find(m => m.name.startsWith('series-loaded:'));
          return { status: window.__radbridgeViewer.status, mount: t('viewer-mount'), preview: t('first-preview') ?? t('first-image'), first: t('first-image'), loaded: loaded?.startTime ?? null };
        }
        """);
    if (run == 0)
    {
        // Where the time goes, once: the viewer's marks and the resource timings of the DICOMweb requests.
        var detail = await page.Page.EvaluateAsync<string>(
            """
            () => {
              const marks = performance.getEntriesByType('mark').map(m => `${m.name.split(':')[0]} ${m.startTime.toFixed(0)}`).join(', ');
              const rs = performance.getEntriesByType('resource');
              const pick = (f) => rs.filter(r => f(r.name));
              const span = (xs) => xs.length ? `${xs.length} × (start ${Math.min(...xs.map(r => r.startTime)).toFixed(0)}, end ${Math.max(...xs.map(r => r.responseEnd)).toFixed(0)}, median ${xs.map(r => r.duration).sort((a, b) => a - b)[xs.length >> 1].toFixed(0)} ms)` : 'none';
              return `marks: ${marks}\n    qido and thumbnails: ${span(pick(n => /\/dicomweb\/studies(\?|\/[^/]+\/series\?)/.test(n) || n.endsWith('/thumbnail')))}\n    metadata: ${span(pick(n => n.endsWith('/metadata')))}\n    rendered: ${span(pick(n => n.endsWith('/rendered')))}\n    frames: ${span(pick(n => n.includes('/frames/')))}\n    assets: ${span(pick(n => n.includes('/assets/')))}`;
            }
            """);
        Console.WriteLine("    " + detail);
        breakdown = detail;
    }
    if (marks.GetProperty("status").GetString() != "ready") throw new InvalidOperationException("viewer failed:\n" + page.Log());
    // Scrollable: jump to the last slice; it must be on screen without another fetch.
    var frameRequests = page.Responses.Count(r => r.Url.Contains("/frames/", StringComparison.Ordinal));
    var jump = Stopwatch.StartNew();
    await page.Page.Keyboard.PressAsync("End");
    await page.Page.WaitForFunctionAsync($"() => window.__radbridgeViewer.imageIndex === {slices - 1}");
    jump.Stop();
    if (run < 0)
    {
        Console.WriteLine("    warm-up run done");
        continue;
    }
    var sample = new Sample(
        marks.GetProperty("mount").GetDouble(),
        marks.GetProperty("preview").GetDouble(),
        marks.GetProperty("first").GetDouble(),
        marks.GetProperty("loaded").GetDouble(),
        jump.Elapsed.TotalMilliseconds,
        page.Responses.Count(r => r.Url.Contains("/frames/", StringComparison.Ordinal)) - frameRequests);
    samples.Add(sample);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"    run {run + 1}: first preview {sample.PreviewFromMount:F0} ms, first full image {sample.FirstFromMount:F0} ms after mount ({sample.First:F0} ms after navigation), all {slices} loaded {sample.LoadedFromMount:F0} ms after mount, last slice shown in {sample.JumpMs:F0} ms ({sample.ExtraFrameRequests} extra frame requests)"));
    if (run == 0) Console.WriteLine($"    screenshot: {await page.ScreenshotAsync("bench-viewer-300")}");
}
ct.Delete();

static double Median(IEnumerable<double> values)
{
    var v = values.Order().ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}

var previewMount = Median(samples.Select(s => s.PreviewFromMount));
var previewNav = Median(samples.Select(s => s.Preview));
var firstMount = Median(samples.Select(s => s.FirstFromMount));
var firstNav = Median(samples.Select(s => s.First));
var loadedMount = Median(samples.Select(s => s.LoadedFromMount));
var loadedNav = Median(samples.Select(s => s.Loaded));
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Web viewer, {slices}-slice {size}×{size} CT (explicit VR little endian, {ct.Files.Count} instances), {runs} runs after a warm-up run, each in a fresh browser (cold HTTP cache), headless chromium (SwiftShader WebGL), medians:");
report.AppendLine();
report.AppendLine("| measure | from viewer mount | from navigation start | goal | ratio (mount / goal) |");
report.AppendLine("|---|---|---|---|---|");
report.AppendLine(CultureInfo.InvariantCulture, $"| first image on screen (server-rendered preview) | {previewMount:F0} ms | {previewNav:F0} ms | ≤ 300 ms | {previewMount / 300:F2} |");
report.AppendLine(CultureInfo.InvariantCulture, $"| first full-fidelity image (Cornerstone) | {firstMount:F0} ms | {firstNav:F0} ms | ≤ 300 ms | {firstMount / 300:F2} |");
report.AppendLine(CultureInfo.InvariantCulture, $"| all {slices} slices loaded (scrollable) | {loadedMount:F0} ms | {loadedNav:F0} ms | ≤ 3000 ms | {loadedMount / 3000:F2} |");
report.AppendLine(CultureInfo.InvariantCulture, $"| jump to the last slice afterwards | {Median(samples.Select(s => s.JumpMs)):F0} ms (no new frame request: {samples.All(s => s.ExtraFrameRequests == 0)}) | | | |");
report.AppendLine();
report.AppendLine("raw (ms, from mount: preview, first full image, all loaded): " + string.Join("; ", samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.PreviewFromMount:F0}, {s.FirstFromMount:F0}, {s.LoadedFromMount:F0}"))));
report.AppendLine();
report.AppendLine("Where the time went in the first counted run (ms from navigation start; resource timings of the requests):");
report.AppendLine();
report.AppendLine("```");
report.AppendLine(breakdown);
report.AppendLine("```");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine(report);
if (outPath is not null) await File.WriteAllTextAsync(outPath, report.ToString());

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string? ArgString(string name, string? fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

internal sealed record Sample(double Mount, double Preview, double First, double Loaded, double JumpMs, int ExtraFrameRequests)
{
    public double PreviewFromMount => Preview - Mount;
    public double FirstFromMount => First - Mount;
    public double LoadedFromMount => Loaded - Mount;
}
