using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RadBridge.Web.Tests;

/// <summary>
/// A real <c>radbridge serve</c> process serving the built web app (.build/web, built by web/build.sh, which does
/// nothing when the app is current), with helpers to seed organisations, users and studies and to get tokens.
/// </summary>
public sealed class WebAppServer : IAsyncDisposable
{
    private WebAppServer(ServerProcess server, string webRoot)
    {
        Server = server;
        WebRoot = webRoot;
    }

    public ServerProcess Server { get; }

    /// <summary>The folder the server serves the app from (the repository's .build/web).</summary>
    public string WebRoot { get; }

    public Uri BaseUrl => Server.BaseUrl;

    public static async Task<WebAppServer> StartAsync()
    {
        var webRoot = await BuildWebAppAsync();
        var server = await ServerProcess.StartWithEnvironmentAsync(new Dictionary<string, string> { ["RADBRIDGE_WEBROOT"] = webRoot });
        return new WebAppServer(server, webRoot);
    }

    /// <summary>Runs web/build.sh (a no-op when .build/web is current) and returns the web root it prints.</summary>
    private static async Task<string> BuildWebAppAsync()
    {
        var psi = new ProcessStartInfo(Path.Combine(TestPaths.RepoRoot, "web", "build.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not run web/build.sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"web/build.sh exited with {process.ExitCode}:\n{await stderr}");
        var webRoot = (await stdout).Trim().Split('\n')[^1];
        if (!File.Exists(Path.Combine(webRoot, "index.html"))) throw new InvalidOperationException($"web/build.sh printed '{webRoot}', which has no index.html");
        return webRoot;
    }

    public Task<int> AddOrganizationAsync(string name, bool centre = false) => Server.AddOrganizationAsync(name, centre);

    public Task AddUserAsync(int organizationId, string role, string userName, string password) =>
        Server.AddUserAsync(organizationId, role, userName, password);

    /// <summary>Ingests DICOM files for an organisation through the archive's own ingest.</summary>
    public async Task SeedAsync(int organizationId, IEnumerable<string> files)
    {
        await using var seeder = await ArchiveSeeder.OpenAsync(Server.Location);
        foreach (var file in files)
        {
            var result = await seeder.StoreAsync(file, organizationId);
            if (!result.Succeeded) throw new InvalidOperationException($"seeding {file}: {result.Outcome} {result.Problem}");
        }
    }

    /// <summary>A token from the password grant, as the web app would hold after signing in.</summary>
    public async Task<AccessToken> TokenAsync(string userName, string password)
    {
        using var http = Server.Client();
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = userName,
            ["password"] = password,
        });
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"password grant for {userName}: {(int)response.StatusCode} {json}");
        var seconds = json.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 3600;
        return new AccessToken(json.GetProperty("access_token").GetString()!, DateTimeOffset.UtcNow.AddSeconds(seconds));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>An access token and when it expires.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt);
