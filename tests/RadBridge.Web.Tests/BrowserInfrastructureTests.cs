using System.Text.Json;

namespace RadBridge.Web.Tests;

/// <summary>
/// The browser-test infrastructure itself: chromium loads the app the server serves, a token injected before the page
/// loads is what the app's session module reads and the API accepts, WebGL2 works headless (the viewer needs it),
/// and the page fetches nothing from any other origin.
/// </summary>
public sealed class BrowserInfrastructureTests(WebAppHost host, ITestOutputHelper output) : IClassFixture<WebAppHost>
{
    private const string Password = "browser test password";

    [Fact]
    public async Task Injected_token_signs_the_page_in_and_the_api_accepts_it_while_everything_comes_from_the_server()
    {
        var org = await host.Server.AddOrganizationAsync("Infrastructure Clinic");
        await host.Server.AddUserAsync(org, "technologist", "infra.tech", Password);
        var token = await host.Server.TokenAsync("infra.tech", Password);

        var page = await host.Browser.NewPageAsync(token);
        try
        {
            var response = await page.Page.GotoAsync(new Uri(host.Server.BaseUrl, "viewer/1.2.3").ToString());
            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            // The app's module scripts ran: React rendered into #root.
            await page.Page.WaitForFunctionAsync("() => document.getElementById('root')?.childElementCount > 0");

            var me = await page.Page.EvaluateAsync<JsonElement>(
                """
                async () => {
                  const session = JSON.parse(sessionStorage.getItem('radbridge.auth'));
                  const r = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + session.accessToken } });
                  return { status: r.status, body: await r.json(), expiresInMs: session.expiresAt - Date.now() };
                }
                """);
            Assert.Equal(200, me.GetProperty("status").GetInt32());
            Assert.Equal("infra.tech", me.GetProperty("body").GetProperty("user").GetString());
            Assert.InRange(me.GetProperty("expiresInMs").GetDouble(), 60_000, 24 * 3600_000);

            var webgl2 = await page.Page.EvaluateAsync<string?>(
                "() => { const gl = document.createElement('canvas').getContext('webgl2'); return gl ? gl.getParameter(gl.VERSION) : null; }");
            output.WriteLine($"WebGL2: {webgl2}");
            Assert.False(string.IsNullOrEmpty(webgl2), "headless chromium has no WebGL2 context");

            var shot = await page.ScreenshotAsync("infrastructure-app-shell");
            output.WriteLine($"screenshot: {shot}");
            Assert.True(new FileInfo(shot).Length > 0);

            var origin = host.Server.BaseUrl.GetLeftPart(UriPartial.Authority);
            var foreign = page.Responses.Where(r => !r.Url.StartsWith(origin, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)).ToList();
            Assert.True(foreign.Count == 0, "requests to other origins:\n" + page.Log());
        }
        catch
        {
            output.WriteLine(page.Log());
            throw;
        }
        finally
        {
            await page.Page.CloseAsync();
        }
    }
}
