using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>
/// A running <c>radbridge serve</c> with two organisations: A (a technologist, a trainee and an auditor) and B (a
/// technologist), shared by the STOW-RS tests of a class.
/// </summary>
public class StowServer : IAsyncLifetime
{
    public const string Password = "stow-test-password-1";

    private readonly string[] _args;
    private ServerProcess? _server;

    public StowServer() : this([]) { }

    protected StowServer(string[] args) => _args = args;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public int OrgA { get; private set; }
    public int OrgB { get; private set; }

    public HttpClient TechnologistA() => Server.Client("a.tech", Password);
    public HttpClient TechnologistB() => Server.Client("b.tech", Password);
    public HttpClient TraineeA() => Server.Client("a.trainee", Password);
    public HttpClient AuditorA() => Server.Client("a.auditor", Password);

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(null, null, _args);
        OrgA = await _server.AddOrganizationAsync("Clinic A");
        OrgB = await _server.AddOrganizationAsync("Clinic B");
        await _server.AddUserAsync(OrgA, ArchiveRoles.Technologist, "a.tech", Password);
        await _server.AddUserAsync(OrgA, ArchiveRoles.Trainee, "a.trainee", Password);
        await _server.AddUserAsync(OrgA, ArchiveRoles.Auditor, "a.auditor", Password);
        await _server.AddUserAsync(OrgB, ArchiveRoles.Technologist, "b.tech", Password);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>A server that keeps the newest of two different instances with one SOP Instance UID (several samples share UIDs).</summary>
public sealed class KeepNewestStowServer : StowServer
{
    public KeepNewestStowServer() : base(["--duplicates", "KeepNewest"]) { }
}
