using System.Text.Json;
using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>
/// Headless Debian chromium (/usr/bin/chromium, from test.sh's PREREQS) driven by Playwright. Playwright's own browser
/// downloads are never used: the executable is given and nothing calls <c>playwright install</c>.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Headless in a container: no sandbox (root, no user namespaces), no GPU but WebGL through SwiftShader (the
    // viewer's Cornerstone3D renders with WebGL2), and none of chromium's own network traffic (updates, sync, QUIC
    // probes), so the network log holds only what the app asks for.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
        "--ignore-gpu-blocklist",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _userDataDirectory;

    private Browser(IPlaywright playwright, IBrowserContext context, string userDataDirectory)
    {
        _playwright = playwright;
        Context = context;
        _userDataDirectory = userDataDirectory;
    }

    /// <summary>The browser's only context (a persistent one on a fresh user-data directory).</summary>
    public IBrowserContext Context { get; }

    public static async Task<Browser> LaunchAsync(int width = 1280, int height = 800)
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium (test.sh does)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var userData = Path.Combine(Path.GetTempPath(), "rb-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userData);
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(userData, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Arguments,
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Timeout = 60_000,
            });
            context.SetDefaultTimeout(30_000);
            return new Browser(playwright, context, userData);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(userData, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// A new page that starts signed in: the token is put into sessionStorage under the web app's key
    /// (web/src/auth/session.ts) by an init script, before any of the app's scripts run.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(AccessToken? token = null)
    {
        var page = await Context.NewPageAsync();
        if (token is not null)
        {
            var session = JsonSerializer.Serialize(new { accessToken = token.Value, expiresAt = token.ExpiresAt.ToUnixTimeMilliseconds() });
            await page.AddInitScriptAsync($"sessionStorage.setItem('radbridge.auth', {JsonSerializer.Serialize(session)});");
        }
        return new BrowserPage(page);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_userDataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; /tmp leftovers are harmless.
        }
    }
}

/// <summary>A page with everything it logged and requested, for assertions and failure messages.</summary>
public sealed class BrowserPage
{
    private readonly List<string> _console = [];
    private readonly List<(string Method, string Url, int Status)> _responses = [];
    private readonly List<string> _failedRequests = [];

    public BrowserPage(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Page = page;
        page.Console += (_, m) => Add(_console, $"{m.Type}: {m.Text}");
        page.PageError += (_, e) => Add(_console, $"pageerror: {e}");
        page.Response += (_, r) =>
        {
            lock (_responses) _responses.Add((r.Request.Method, r.Url, r.Status));
        };
        page.RequestFailed += (_, r) => Add(_failedRequests, $"{r.Method} {r.Url}: {r.Failure}");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> ConsoleMessages
    {
        get
        {
            lock (_console) return [.. _console];
        }
    }

    public IReadOnlyList<(string Method, string Url, int Status)> Responses
    {
        get
        {
            lock (_responses) return [.. _responses];
        }
    }

    public IReadOnlyList<string> FailedRequests
    {
        get
        {
            lock (_failedRequests) return [.. _failedRequests];
        }
    }

    /// <summary>The console and network log, for a failure message.</summary>
    public string Log() =>
        "console:\n  " + string.Join("\n  ", ConsoleMessages) +
        "\nresponses:\n  " + string.Join("\n  ", Responses.Select(r => $"{r.Status} {r.Method} {r.Url}")) +
        "\nfailed requests:\n  " + string.Join("\n  ", FailedRequests);

    /// <summary>Saves a screenshot as a test artefact and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = TestArtifacts.PathFor(name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        return path;
    }

    private static void Add(List<string> list, string line)
    {
        lock (list) list.Add(line);
    }
}
