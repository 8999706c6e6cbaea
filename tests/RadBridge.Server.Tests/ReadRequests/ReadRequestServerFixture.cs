using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests.ReadRequests;

/// <summary>
/// One running server for the read request tests: a centre (admin, two radiologists, a trainee, an auditor) and two
/// clinics (a technologist each), East owning a CT study. The monitor runs every 200 ms, a critical finding is
/// re-notified every second and an urgent request is due after 2 s, so the timers are observable in a test.
/// </summary>
public sealed class ReadRequestServerFixture : IAsyncLifetime
{
    public const string Password = "read-request-password-1";
    public const string PatientName = "Zhang^San";

    public ServerProcess Server { get; private set; } = null!;
    public int Centre { get; private set; }
    public int East { get; private set; }
    public int West { get; private set; }

    /// <summary>Studies of Clinic East (one per test that needs a fresh one).</summary>
    public IReadOnlyList<string> EastStudies { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "rb-readreq-" + Guid.NewGuid().ToString("N"));
        var location = new ArchiveLocation(data);
        await ArchiveDatabase.EnsureSchemaAsync(location);
        await using (var db = ArchiveDatabase.Open(location))
        {
            var centre = new Organization { Name = "Central Hospital", IsCentre = true, CreatedAt = DateTimeOffset.UtcNow };
            var east = new Organization { Name = "Township Clinic East", CreatedAt = DateTimeOffset.UtcNow };
            var west = new Organization { Name = "Community Clinic West", CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.AddRange(centre, east, west);
            await db.SaveChangesAsync();
            (Centre, East, West) = (centre.Id, east.Id, west.Id);
        }
        var studies = new List<string>();
        var input = Path.Combine(data, "in");
        for (var i = 0; i < 8; i++)
        {
            var dir = Path.Combine(input, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            studies.Add(SeedArchive.Variant(TestPaths.Sample("CT_small.dcm"), dir, PatientName, "EAST-" + i, "20261120", "CT"));
            await SeedArchive.IngestAsync(location, East, Directory.GetFiles(dir));
        }
        Directory.Delete(input, recursive: true);
        EastStudies = studies;
        Server = await ServerProcess.StartWithEnvironmentAsync(data, new Dictionary<string, string>
        {
            ["Workflow__MonitorInterval"] = "00:00:00.200",
            ["Workflow__CriticalRenotifyInterval"] = "00:00:01",
            ["Workflow__Sla__Urgent"] = "00:00:02",
        });
        await Server.AddUserAsync(Centre, ArchiveRoles.Admin, "admin", Password);
        await Server.AddUserAsync(Centre, ArchiveRoles.Radiologist, "rad", Password);
        await Server.AddUserAsync(Centre, ArchiveRoles.Radiologist, "rad2", Password);
        await Server.AddUserAsync(Centre, ArchiveRoles.Trainee, "trainee", Password);
        await Server.AddUserAsync(Centre, ArchiveRoles.Auditor, "auditor", Password);
        await Server.AddUserAsync(East, ArchiveRoles.Technologist, "tech.east", Password);
        await Server.AddUserAsync(West, ArchiveRoles.Technologist, "tech.west", Password);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public HttpClient Client(string user) => Server.Client(user, Password);

    /// <summary>A Bearer access token from the token endpoint (password grant).</summary>
    public async Task<string> TokenAsync(string user)
    {
        using var http = Server.Client();
        using var form = new FormUrlEncodedContent([new("grant_type", "password"), new("username", user), new("password", Password)]);
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), form);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }
}

/// <summary>Small JSON helpers for the API calls.</summary>
internal static class Api
{
    public static async Task<(HttpResponseMessage Response, JsonElement Json)> PostAsync(HttpClient http, string url, object? body = null)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body ?? new { }), Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri(url, UriKind.Relative), content);
        return (response, await JsonAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Json)> PutAsync(HttpClient http, string url, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await http.PutAsync(new Uri(url, UriKind.Relative), content);
        return (response, await JsonAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Json)> GetAsync(HttpClient http, string url)
    {
        var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        return (response, await JsonAsync(response));
    }

    /// <summary>Creates a request as <paramref name="http"/> and returns its id.</summary>
    public static async Task<string> CreateAsync(HttpClient http, string study, string priority = "stat")
    {
        var (response, json) = await PostAsync(http, "api/read-requests", new { studyInstanceUid = study, priority, clinicalQuestion = "肺结节？ Lung nodule?" });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, json.ToString());
        return json.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 || !(response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? default
            : JsonSerializer.Deserialize<JsonElement>(text);
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
