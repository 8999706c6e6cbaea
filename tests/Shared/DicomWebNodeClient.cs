using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace RadBridge.Tests.Shared;

/// <summary>
/// Runs tests/interop/dicomweb/client.mjs (the npm dicomweb-client, which nobody here wrote) against a DICOMweb server
/// and returns what it printed as JSON. Each call is one node process; a non-zero exit throws with the script's
/// stderr, a call that outlives <see cref="Timeout"/> is killed and throws.
/// </summary>
/// <remarks>
/// ./test.sh installs the script's packages (npm ci) before the tests. Commands and their output are described at the
/// top of client.mjs: stow FILE..., qido-studies KEY=VALUE..., qido-series STUDY, metadata STUDY SERIES,
/// frames STUDY SERIES SOP N, rendered STUDY SERIES SOP [MEDIATYPE].
/// </remarks>
public sealed class DicomWebNodeClient
{
    private static readonly Lazy<string> Script = new(FindScript);

    /// <param name="baseUrl">The DICOMweb root, e.g. http://127.0.0.1:8042/dicomweb.</param>
    /// <param name="username">HTTP Basic user (RB_USER), or null for none.</param>
    /// <param name="password">HTTP Basic password (RB_PASSWORD).</param>
    /// <param name="bearerToken">An OAuth access token (RB_TOKEN), sent instead of Basic when given.</param>
    public DicomWebNodeClient(Uri baseUrl, string? username = null, string? password = null, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = baseUrl;
        Username = username;
        Password = password;
        BearerToken = bearerToken;
    }

    public Uri BaseUrl { get; }
    public string? Username { get; }
    public string? Password { get; }
    public string? BearerToken { get; }

    /// <summary>How long one command may take (node start-up included) before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The path of client.mjs in this checkout.</summary>
    public static string ScriptPath => Script.Value;

    public Task<JsonNode?> StowAsync(params string[] files) => RunJsonAsync(["stow", .. files]);

    public Task<JsonNode?> QueryStudiesAsync(params string[] keyValues) => RunJsonAsync(["qido-studies", .. keyValues]);

    public Task<JsonNode?> QuerySeriesAsync(string studyUid) => RunJsonAsync(["qido-series", studyUid]);

    public Task<JsonNode?> SeriesMetadataAsync(string studyUid, string seriesUid) => RunJsonAsync(["metadata", studyUid, seriesUid]);

    /// <summary>[{frame, length, sha256, contentType, transferSyntaxUID}] of the frames retrieved.</summary>
    public Task<JsonNode?> FramesAsync(string studyUid, string seriesUid, string sopUid, params int[] frames) =>
        RunJsonAsync(["frames", studyUid, seriesUid, sopUid, string.Join(',', frames)]);

    /// <summary>{length, sha256, contentType} of the rendered instance.</summary>
    public Task<JsonNode?> RenderedAsync(string studyUid, string seriesUid, string sopUid, string mediaType = "image/jpeg") =>
        RunJsonAsync(["rendered", studyUid, seriesUid, sopUid, mediaType]);

    /// <summary>Runs one client.mjs command; its stdout parsed as JSON.</summary>
    public async Task<JsonNode?> RunJsonAsync(IReadOnlyList<string> arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(arguments);
        var command = string.Join(' ', arguments.Take(2));
        if (exitCode != 0) throw new InvalidOperationException($"client.mjs {command} exited with {exitCode}: {stderr.Trim()}");
        try
        {
            return JsonNode.Parse(stdout);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidOperationException($"client.mjs {command} printed no JSON ({e.Message}): {stdout}\n{stderr}", e);
        }
    }

    /// <summary>Runs one client.mjs command and returns its exit code and outputs as they are (for tests of failures).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(ScriptPath);
        info.ArgumentList.Add(BaseUrl.ToString());
        foreach (var a in arguments) info.ArgumentList.Add(a);
        // Only what this client was given: credentials in the test's own environment must not leak into a call.
        info.Environment.Remove("RB_USER");
        info.Environment.Remove("RB_PASSWORD");
        info.Environment.Remove("RB_TOKEN");
        if (Username is not null) info.Environment["RB_USER"] = Username;
        if (Password is not null) info.Environment["RB_PASSWORD"] = Password;
        if (BearerToken is not null) info.Environment["RB_TOKEN"] = BearerToken;
        info.Environment["RB_TIMEOUT_MS"] = ((long)Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout + TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"client.mjs {string.Join(' ', arguments.Take(2))} did not finish within {Timeout.TotalSeconds} s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "tests", "interop", "dicomweb");
            var script = Path.Combine(folder, "client.mjs");
            if (!File.Exists(script)) continue;
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "dicomweb-client")))
                throw new InvalidOperationException($"{folder} has no node_modules: run `npm ci` there (./test.sh does)");
            return script;
        }
        throw new InvalidOperationException($"no tests/interop/dicomweb/client.mjs above {AppContext.BaseDirectory}");
    }
}
