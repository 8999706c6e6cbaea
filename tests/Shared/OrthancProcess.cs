using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadBridge.Tests.Shared;

/// <summary>A DICOM peer Orthanc knows (an entry of its DicomModalities): AE title, host, port.</summary>
public sealed record OrthancModality(string AeTitle, string Host, int Port);

/// <summary>A DICOMweb server Orthanc's DICOMweb plugin can push to and pull from (an entry of DicomWeb.Servers).</summary>
public sealed record OrthancDicomWebServer(Uri Url, string? Username = null, string? Password = null);

/// <summary>How to configure an <see cref="OrthancProcess"/>; the defaults are what the interop tests want.</summary>
public sealed class OrthancOptions
{
    public string AeTitle { get; init; } = "ORTHANC";

    /// <summary>Refuse associations whose called AE title is not <see cref="AeTitle"/> (Orthanc's default is to accept any).</summary>
    public bool CheckCalledAeTitle { get; init; } = true;

    /// <summary>DicomModalities by symbolic name (the name Orthanc's REST API uses, e.g. /modalities/NAME/store).</summary>
    public IReadOnlyDictionary<string, OrthancModality> Modalities { get; init; } = new Dictionary<string, OrthancModality>();

    /// <summary>Load Debian's DICOMweb plugin (package orthanc-dicomweb) with its API under <see cref="OrthancProcess.DicomWebRoot"/>.</summary>
    public bool DicomWeb { get; init; }

    /// <summary>DicomWeb.Servers by symbolic name (REST: /dicom-web/servers/NAME/stow, .../get, .../retrieve).</summary>
    public IReadOnlyDictionary<string, OrthancDicomWebServer> DicomWebServers { get; init; } = new Dictionary<string, OrthancDicomWebServer>();

    /// <summary>
    /// With a user name, Orthanc's HTTP API (REST and DICOMweb) needs HTTP Basic with <see cref="Username"/> and
    /// <see cref="Password"/>; <see cref="OrthancProcess.Http"/> sends them. Without, authentication is off (loopback only).
    /// </summary>
    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>Last changes to the generated configuration before Orthanc starts, for options not modelled here.</summary>
    public Action<JsonObject>? Configure { get; init; }
}

/// <summary>
/// A throwaway Orthanc (Debian's package, installed by ./test.sh): a temp directory with its configuration, SQLite index,
/// storage and log; free DICOM and HTTP ports on loopback; started by <see cref="StartAsync"/>, which returns once
/// GET /system answers, and killed (and its directory removed) on dispose.
/// </summary>
/// <remarks>
/// Orthanc 1.10 has no bind-address option, so its DICOM port listens on every interface for the few seconds the tests
/// run; HTTP refuses non-local clients (RemoteAccessAllowed false). Storage is neither compressed nor fsync'ed
/// (SyncStorageArea false): these Orthancs are witnesses, not benchmarks.
/// </remarks>
public sealed class OrthancProcess : IAsyncDisposable
{
    /// <summary>Where Debian's orthanc-dicomweb package puts the plugin.</summary>
    public const string DicomWebPluginPath = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    /// <summary>Root of the DICOMweb API (DicomWeb.Root), relative to <see cref="BaseUri"/>.</summary>
    public const string DicomWebRootPath = "dicom-web/";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private OrthancProcess(Process process, string workDirectory, int httpPort, int dicomPort, string aeTitle, HttpClient http)
    {
        _process = process;
        WorkDirectory = workDirectory;
        HttpPort = httpPort;
        DicomPort = dicomPort;
        AeTitle = aeTitle;
        Http = http;
    }

    public string WorkDirectory { get; }
    public int HttpPort { get; }
    public int DicomPort { get; }
    public string AeTitle { get; }

    /// <summary>A client on <see cref="BaseUri"/> (with the configured credentials), for Orthanc's REST API.</summary>
    public HttpClient Http { get; }

    /// <summary>http://127.0.0.1:HTTPPORT/</summary>
    public Uri BaseUri => Http.BaseAddress!;

    /// <summary>http://127.0.0.1:HTTPPORT/dicom-web (no trailing slash, as DICOMweb clients expect a base URL).</summary>
    public Uri DicomWebRoot => new(BaseUri, DicomWebRootPath.TrimEnd('/'));

    public string LogPath => Path.Combine(WorkDirectory, "orthanc.log");

    /// <summary>Writes the configuration, starts Orthanc and waits until its HTTP API answers (or fails with its log).</summary>
    public static async Task<OrthancProcess> StartAsync(OrthancOptions? options = null, CancellationToken ct = default)
    {
        options ??= new OrthancOptions();
        if (options.DicomWeb && !File.Exists(DicomWebPluginPath))
            throw new InvalidOperationException($"Orthanc's DICOMweb plugin is not at {DicomWebPluginPath}: install Debian's orthanc-dicomweb (./test.sh does)");
        if (options.Username is not null && options.Password is null)
            throw new ArgumentException("an Orthanc user needs a password", nameof(options));

        var workDirectory = Directory.CreateTempSubdirectory("rb-orthanc-").FullName;
        var httpPort = FreePort();
        var dicomPort = FreePort();
        var config = Configuration(options, workDirectory, httpPort, dicomPort);
        var configPath = Path.Combine(workDirectory, "config.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);

        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        if (options.Username is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        var info = new ProcessStartInfo(OrthancBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--logfile=" + Path.Combine(workDirectory, "orthanc.log"));
        info.ArgumentList.Add(configPath);
        // Orthanc's DCMTK leaves Nagle on unless told: without this every C-STORE/C-ECHO response waits ~40 ms.
        info.Environment["TCP_NODELAY"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start Orthanc");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var orthanc = new OrthancProcess(process, workDirectory, httpPort, dicomPort, options.AeTitle, http);
        try
        {
            await orthanc.WaitUntilReadyAsync(ct);
            return orthanc;
        }
        catch
        {
            await orthanc.DisposeAsync();
            throw;
        }
    }

    private static JsonObject Configuration(OrthancOptions options, string workDirectory, int httpPort, int dicomPort)
    {
        var modalities = new JsonObject();
        foreach (var (name, m) in options.Modalities) modalities[name] = new JsonArray(m.AeTitle, m.Host, m.Port);
        var config = new JsonObject
        {
            ["Name"] = "RadBridgeInterop",
            ["StorageDirectory"] = Path.Combine(workDirectory, "storage"),
            ["IndexDirectory"] = Path.Combine(workDirectory, "index"),
            ["StorageCompression"] = false,
            ["SyncStorageArea"] = false,
            ["OverwriteInstances"] = true,
            ["Plugins"] = options.DicomWeb ? new JsonArray(DicomWebPluginPath) : new JsonArray(),
            ["LuaScripts"] = new JsonArray(),
            ["HttpServerEnabled"] = true,
            [nameof(HttpPort)] = httpPort,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = options.Username is not null,
            ["HttpDescribeErrors"] = true,
            ["OrthancExplorerEnabled"] = false,
            ["WebDavEnabled"] = false,
            ["DicomServerEnabled"] = true,
            ["DicomAet"] = options.AeTitle,
            [nameof(DicomPort)] = dicomPort,
            ["DicomCheckCalledAet"] = options.CheckCalledAeTitle,
            ["DicomCheckModalityHost"] = false,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomAlwaysAllowStore"] = true,
            ["DicomAlwaysAllowFind"] = true,
            ["DicomAlwaysAllowGet"] = true,
            ["DicomAlwaysAllowMove"] = true,
            ["DicomModalities"] = modalities,
            ["DicomScpTimeout"] = 30,
            ["DicomThreadsCount"] = 2,
            ["UnknownSopClassAccepted"] = true,
            ["AcceptedTransferSyntaxes"] = new JsonArray("*"),
            ["ConcurrentJobs"] = 2,
            ["SaveJobs"] = false,
        };
        if (options.Username is not null) config["RegisteredUsers"] = new JsonObject { [options.Username] = options.Password };
        if (options.DicomWeb)
        {
            var servers = new JsonObject();
            foreach (var (name, s) in options.DicomWebServers)
            {
                servers[name] = s.Username is null
                    ? new JsonArray(s.Url.ToString())
                    : new JsonArray(s.Url.ToString(), s.Username, s.Password ?? "");
            }
            config["DicomWeb"] = new JsonObject
            {
                ["Enable"] = true,
                ["Root"] = "/" + DicomWebRootPath,
                // WADO-URI stays off: the tests exercise WADO-RS, and one API less is one port of attack less.
                ["EnableWado"] = false,
                ["Servers"] = servers,
            };
        }
        options.Configure?.Invoke(config);
        return config;
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orthanc exited during start-up (code {_process.ExitCode}):\n{Log()}");
            try
            {
                using var response = await Http.GetAsync(new Uri("system", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Orthanc's HTTP did not answer within {StartTimeout.TotalSeconds} s:\n{Log()}");
            await Task.Delay(50, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>Debian installs Orthanc in /usr/sbin, which a non-root PATH may lack.</summary>
    private static string OrthancBinary => File.Exists("/usr/sbin/Orthanc") ? "/usr/sbin/Orthanc" : "Orthanc";

    /// <summary>The last 4,000 characters of Orthanc's log, for assertion messages.</summary>
    public string Log()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            return text.Length > 4000 ? text[^4000..] : text;
        }
        catch (IOException)
        {
            return "(no Orthanc log)";
        }
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body) ?? throw new InvalidOperationException($"GET {path}: empty body");
    }

    public async Task<JsonNode> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}\n{Log()}");
        return JsonNode.Parse(body) ?? throw new InvalidOperationException($"POST {path}: empty body");
    }

    /// <summary>Orthanc's id of the stored instance with this SOP Instance UID, or null (POST /tools/lookup).</summary>
    public async Task<string?> LookupInstanceAsync(string sopInstanceUid)
    {
        var found = await PostJsonAsync("tools/lookup", sopInstanceUid);
        return found.AsArray().Select(n => n!).Where(n => (string?)n["Type"] == "Instance").Select(n => (string?)n["ID"]).FirstOrDefault();
    }

    /// <summary>The DICOM file Orthanc stores for an instance id (GET /instances/ID/file).</summary>
    public async Task<byte[]> GetFileAsync(string instanceId) =>
        await Http.GetByteArrayAsync(new Uri($"instances/{instanceId}/file", UriKind.Relative));

    /// <summary>A TCP port free on loopback now (the OS's choice; a race with another process is unlikely, not impossible).</summary>
    public static int FreePort() => LoopbackPorts.Next();

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
