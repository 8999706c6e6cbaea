using System.Net;

namespace RadBridge.Server.Tests;

/// <summary>
/// How <c>radbridge serve</c> serves the built web app: its hashed assets as files (regression: the implicit routing
/// that minimal hosting puts first matched the SPA fallback before the static files ran, so every script was a 404 and
/// the app a blank page), client-side routes as index.html, and unknown server paths still 404.
/// </summary>
public sealed class WebAppHostingTests
{
    [Fact]
    public async Task Assets_are_files_app_routes_are_index_html_and_server_paths_stay_404()
    {
        var root = Directory.CreateTempSubdirectory("rb-webroot-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<!doctype html><div id=\"root\"></div><script src=\"/assets/index-abc123.js\"></script>");
        await File.WriteAllTextAsync(Path.Combine(root, "assets", "index-abc123.js"), "console.log('app');");
        try
        {
            await using var server = await ServerProcess.StartWithEnvironmentAsync(new Dictionary<string, string> { ["RADBRIDGE_WEBROOT"] = root });
            using var http = server.Client();

            var script = await http.GetAsync(new Uri("assets/index-abc123.js", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("console.log('app');", await script.Content.ReadAsStringAsync());
            Assert.Contains("immutable", script.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);

            foreach (var route in new[] { "", "worklist", "read/0123abcd", "viewer/1.2.840.113619.2.55" })
            {
                var page = await http.GetAsync(new Uri(route, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains("<div id=\"root\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("assets/missing.js", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/no-such-endpoint", UriKind.Relative))).StatusCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
