using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Identity;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests;

/// <summary>
/// A real <c>radbridge serve</c> process on free loopback ports with its own data directory (SQLite, or the PostgreSQL
/// database given), for tests that talk to it as clients do: HTTP, DIMSE, the CLI.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private bool _demo;
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();

    private ServerProcess(string dataDirectory, string? connectionString)
    {
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        Location = new ArchiveLocation(dataDirectory, connectionString);
    }

    public string DataDirectory { get; }
    public string? ConnectionString { get; }
    public ArchiveLocation Location { get; }
    public int HttpPort { get; private set; }
    public int DicomPort { get; private set; }
    public string AeTitle { get; } = "RADBRIDGE";
    public Uri BaseUrl => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts a server on a new data directory (or <paramref name="dataDirectory"/>) and waits until it is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory = null, string? connectionString = null, params string[] extraArgs)
    {
        var server = new ServerProcess(dataDirectory ?? Path.Combine(Path.GetTempPath(), "rb-serve-" + Guid.NewGuid().ToString("N")), connectionString);
        await server.StartProcessAsync(extraArgs);
        return server;
    }

    /// <summary>
    /// Starts a server on <paramref name="dataDirectory"/> (and the PostgreSQL database given) with extra environment
    /// variables (e.g. configuration such as <c>Workflow__MonitorInterval</c>).
    /// </summary>
    public static async Task<ServerProcess> StartWithEnvironmentAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment,
        string? connectionString = null, params string[] extraArgs)
    {
        var server = new ServerProcess(dataDirectory, connectionString) { _environment = environment };
        await server.StartProcessAsync(extraArgs);
        return server;
    }

    /// <summary>
    /// Starts a server on a new data directory with extra environment variables (e.g. <c>RADBRIDGE_WEBROOT</c>, so it
    /// serves the built web app to the browser tests).
    /// </summary>
    public static async Task<ServerProcess> StartWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment)
    {
        var server = new ServerProcess(Path.Combine(Path.GetTempPath(), "rb-serve-" + Guid.NewGuid().ToString("N")), null) { _environment = environment };
        await server.StartProcessAsync([]);
        return server;
    }

    /// <summary>Starts a server on a new data directory without <c>--no-demo</c>: it creates the demo partnership.</summary>
    public static async Task<ServerProcess> StartWithDemoAsync()
    {
        var server = new ServerProcess(Path.Combine(Path.GetTempPath(), "rb-serve-" + Guid.NewGuid().ToString("N")), null) { _demo = true };
        await server.StartProcessAsync([]);
        return server;
    }

    private async Task StartProcessAsync(string[] extraArgs, bool samePorts = false)
    {
        if (!samePorts)
        {
            HttpPort = FreePort();
            DicomPort = FreePort();
        }
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "radbridge.dll"));
        foreach (var (name, value) in _environment) psi.Environment[name] = value;
        foreach (var a in new[] { "serve", "--data", DataDirectory, "--http-port", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--dicom-port", DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--aet", AeTitle }.Concat(_demo ? [] : ["--no-demo"]).Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }
        if (ConnectionString is not null)
        {
            psi.ArgumentList.Add("--db");
            psi.ArgumentList.Add(ConnectionString);
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException($"radbridge serve exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "health/ready"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow first answer.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"radbridge serve was not ready in 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }

    /// <summary>Starts the server again on the same data directory and ports changed (after <see cref="Kill"/>).</summary>
    public Task RestartAsync(params string[] extraArgs)
    {
        Kill();
        _process?.Dispose();
        return StartProcessAsync(extraArgs);
    }

    /// <summary>Stops the process (SIGKILL) and starts it again on the same data directory and the same ports.</summary>
    public Task RestartOnSamePortsAsync()
    {
        Kill();
        _process?.Dispose();
        return StartProcessAsync([], samePorts: true);
    }

    /// <summary>An HTTP client for the server, with Basic credentials when given.</summary>
    public HttpClient Client(string? user = null, string? password = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        return client;
    }

    /// <summary>Creates an organisation and returns its id (directly in the index, as the admin CLI does).</summary>
    public async Task<int> AddOrganizationAsync(string name, bool centre = false)
    {
        await using var db = ArchiveDatabase.Open(Location);
        var org = new Organization { Name = name, IsCentre = centre, CreatedAt = DateTimeOffset.UtcNow };
        db.Organizations.Add(org);
        await db.SaveChangesAsync();
        return org.Id;
    }

    /// <summary>Creates a user with a hashed password.</summary>
    public async Task AddUserAsync(int organizationId, string role, string userName, string password)
    {
        await using var db = ArchiveDatabase.Open(Location);
        var user = new ArchiveUser
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            OrganizationId = organizationId,
            Role = role,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
        };
        user.PasswordHash = new PasswordHasher<ArchiveUser>().HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync();
    }

    /// <summary>Registers a DICOM AE to an organisation.</summary>
    public async Task AddAeAsync(int organizationId, string aeTitle, string? host = null, int? port = null)
    {
        await using var db = ArchiveDatabase.Open(Location);
        db.RegisteredAes.Add(new RegisteredAe { OrganizationId = organizationId, AeTitle = aeTitle, Host = host, Port = port });
        await db.SaveChangesAsync();
    }

    /// <summary>Every record of the server's audit log so far, in chain order.</summary>
    public async Task<IReadOnlyList<RadBridge.Archive.Audit.AuditRecord>> AuditRecordsAsync()
    {
        var reader = new RadBridge.Archive.Audit.AuditLogReader(Location);
        var all = new List<RadBridge.Archive.Audit.AuditRecord>();
        long? next = 1;
        while (next is { } from)
        {
            var page = await reader.ReadAsync(from, 1000);
            all.AddRange(page.Records);
            next = page.Records.Count == 0 ? null : page.NextSequence;
        }
        return all;
    }

    /// <summary>Whether the audit log holds a record of <paramref name="actor"/> doing <paramref name="action"/> with that outcome.</summary>
    public async Task<bool> AuditedAsync(string actor, string action, string outcome) =>
        (await AuditRecordsAsync()).Any(r => r.Actor == actor && r.Action == action && r.Outcome == outcome);

    public static int FreePort() => RadBridge.Tests.Shared.LoopbackPorts.Next();

    /// <summary>Stops the server as a service manager does (SIGTERM) and returns its exit code.</summary>
    public async Task<int> StopGracefullyAsync()
    {
        var p = _process ?? throw new InvalidOperationException("the server is not running");
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            // A graceful stop first (SIGTERM through Kill(false) is not available: dotnet handles SIGINT/SIGTERM).
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
