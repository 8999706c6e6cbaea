using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// One Orthanc (Debian's package, installed by ./test.sh) shared by the tests of <see cref="OrthancCollection"/>: a temp
/// config, SQLite index and storage, free DICOM and HTTP ports, started once and killed after the collection.
/// </summary>
/// <remarks>
/// Orthanc 1.10 has no bind-address option, so its DICOM port listens on every interface for the few seconds the tests
/// run; HTTP refuses non-local clients (RemoteAccessAllowed false) and authentication is off for loopback only. The
/// config checks the called AE title (DicomCheckCalledAet) so a wrong one is refused, and registers our SCP as modality
/// <see cref="OurModality"/> on <see cref="OurScpPort"/> so Orthanc can push (C-STORE) and later C-MOVE to us.
/// </remarks>
public sealed class OrthancFixture : IAsyncLifetime
{
    public const string AeTitle = "ORTHANC";
    public const string OurModality = "radbridge";
    public const string OurAeTitle = "RBSCP";

    private Process? _process;

    public OrthancFixture()
    {
        WorkDirectory = Directory.CreateTempSubdirectory("rb-orthanc-").FullName;
        DicomPort = Dcmtk.FreePort();
        HttpPort = Dcmtk.FreePort();
        OurScpPort = Dcmtk.FreePort();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string WorkDirectory { get; }
    public int DicomPort { get; }
    public int HttpPort { get; }
    public int OurScpPort { get; }
    public HttpClient Http { get; }

    public string LogPath => Path.Combine(WorkDirectory, "orthanc.log");

    public async Task InitializeAsync()
    {
        var config = new JsonObject
        {
            ["Name"] = "RadBridgeInterop",
            ["StorageDirectory"] = Path.Combine(WorkDirectory, "storage"),
            ["IndexDirectory"] = Path.Combine(WorkDirectory, "index"),
            ["StorageCompression"] = false,
            ["SyncStorageArea"] = false,
            ["OverwriteInstances"] = true,
            ["Plugins"] = new JsonArray(),
            ["LuaScripts"] = new JsonArray(),
            ["HttpServerEnabled"] = true,
            [nameof(HttpPort)] = HttpPort,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["HttpDescribeErrors"] = true,
            ["OrthancExplorerEnabled"] = false,
            ["WebDavEnabled"] = false,
            ["DicomServerEnabled"] = true,
            ["DicomAet"] = AeTitle,
            [nameof(DicomPort)] = DicomPort,
            ["DicomCheckCalledAet"] = true,
            ["DicomCheckModalityHost"] = false,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomAlwaysAllowStore"] = true,
            ["DicomAlwaysAllowFind"] = true,
            ["DicomAlwaysAllowGet"] = true,
            ["DicomAlwaysAllowMove"] = true,
            ["DicomModalities"] = new JsonObject
            {
                [OurModality] = new JsonArray(OurAeTitle, "127.0.0.1", OurScpPort),
            },
            ["DicomScpTimeout"] = 30,
            ["DicomThreadsCount"] = 2,
            ["UnknownSopClassAccepted"] = true,
            ["AcceptedTransferSyntaxes"] = new JsonArray("*"),
            ["ConcurrentJobs"] = 2,
            ["SaveJobs"] = false,
        };
        var configPath = Path.Combine(WorkDirectory, "config.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var info = new ProcessStartInfo(OrthancBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--logfile=" + LogPath);
        info.ArgumentList.Add(configPath);
        // Orthanc's DCMTK leaves Nagle on unless told: without this every C-STORE/C-ECHO response waits ~40 ms.
        info.Environment["TCP_NODELAY"] = "1";
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start Orthanc");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Orthanc exited during start-up:\n{Log()}");
            try
            {
                using var response = await Http.GetAsync(new Uri("system", UriKind.Relative));
                if (response.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Orthanc's HTTP did not answer within 60 s:\n{Log()}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Debian installs Orthanc in /usr/sbin, which a non-root PATH may lack.</summary>
    private static string OrthancBinary => File.Exists("/usr/sbin/Orthanc") ? "/usr/sbin/Orthanc" : "Orthanc";

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

    public async Task<byte[]> GetFileAsync(string instanceId) =>
        await Http.GetByteArrayAsync(new Uri($"instances/{instanceId}/file", UriKind.Relative));

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The tests that share one Orthanc.</summary>
[CollectionDefinition(Name)]
public sealed class OrthancCollection : ICollectionFixture<OrthancFixture>
{
    public const string Name = "Orthanc";
}
