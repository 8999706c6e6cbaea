using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RadBridge.Server.Tests;

/// <summary>
/// The admin API behind the web app's admin page, on a running <c>radbridge serve</c>: a centre administrator lists and
/// changes the partnership's accounts (each change audited under their name), the refusals carry the reason, and
/// nobody else — a clinic's administrator, a radiologist, an anonymous caller — gets in.
/// </summary>
public sealed class AdminApiTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Centre_admin_adds_organisation_user_and_ae_lists_them_and_every_change_is_audited()
    {
        await using var server = await ServerProcess.StartAsync();
        var centre = await server.AddOrganizationAsync("Central Hospital", centre: true);
        await server.AddUserAsync(centre, "admin", "boss", Password);
        using var http = server.Client("boss", Password);

        var org = await http.PostAsJsonAsync(new Uri("api/admin/organizations", UriKind.Relative), new { name = "Township Clinic North", isCentre = false });
        Assert.Equal(HttpStatusCode.Created, org.StatusCode);
        var user = await http.PostAsJsonAsync(new Uri("api/admin/users", UriKind.Relative),
            new { organization = "Township Clinic North", role = "technologist", userName = "tech.north", password = Password });
        Assert.True(user.StatusCode == HttpStatusCode.Created, await user.Content.ReadAsStringAsync());
        var ae = await http.PostAsJsonAsync(new Uri("api/admin/aes", UriKind.Relative),
            new { organization = "Township Clinic North", aeTitle = "NORTH_CT", host = "127.0.0.1", port = 11113 });
        Assert.True(ae.StatusCode == HttpStatusCode.Created, await ae.Content.ReadAsStringAsync());

        using var orgs = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/admin/organizations", UriKind.Relative)));
        var north = orgs.RootElement.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Township Clinic North");
        Assert.False(north.GetProperty("isCentre").GetBoolean());
        Assert.Equal(1, north.GetProperty("users").GetInt32());
        Assert.Equal(1, north.GetProperty("aes").GetInt32());

        using var users = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/admin/users?organization=Township%20Clinic%20North", UriKind.Relative)));
        var only = Assert.Single(users.RootElement.EnumerateArray());
        Assert.Equal(("tech.north", "technologist"), (only.GetProperty("userName").GetString(), only.GetProperty("role").GetString()));
        using var aes = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/admin/aes", UriKind.Relative)));
        var northCt = Assert.Single(aes.RootElement.EnumerateArray());
        Assert.Equal(("NORTH_CT", "127.0.0.1", 11113), (northCt.GetProperty("aeTitle").GetString(), northCt.GetProperty("host").GetString(), northCt.GetProperty("port").GetInt32()));

        // The new user signs in with the password the admin set, then with the one the admin changes it to.
        using (var asNew = server.Client("tech.north", Password))
        {
            Assert.Equal(HttpStatusCode.OK, (await asNew.GetAsync(new Uri("api/me", UriKind.Relative))).StatusCode);
        }
        var changed = await http.PutAsJsonAsync(new Uri("api/admin/users/tech.north/password", UriKind.Relative), new { password = Password + " changed" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        using (var asChanged = server.Client("tech.north", Password + " changed"))
        {
            Assert.Equal(HttpStatusCode.OK, (await asChanged.GetAsync(new Uri("api/me", UriKind.Relative))).StatusCode);
        }

        Assert.True(await server.AuditedAsync("boss", "administer", "success"), "changes are audited under the admin's name");
    }

    [Fact]
    public async Task Refusals_name_the_problem_and_are_audited()
    {
        await using var server = await ServerProcess.StartAsync();
        var centre = await server.AddOrganizationAsync("Central Hospital", centre: true);
        await server.AddUserAsync(centre, "admin", "boss", Password);
        using var http = server.Client("boss", Password);

        var duplicate = await http.PostAsJsonAsync(new Uri("api/admin/organizations", UriKind.Relative), new { name = "central hospital", isCentre = false });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("exists", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var badRole = await http.PostAsJsonAsync(new Uri("api/admin/users", UriKind.Relative),
            new { organization = "Central Hospital", role = "janitor", userName = "x", password = Password });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("role 'janitor'", await badRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var shortPassword = await http.PostAsJsonAsync(new Uri("api/admin/users", UriKind.Relative),
            new { organization = "Central Hospital", role = "radiologist", userName = "rad", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);

        var badAe = await http.PostAsJsonAsync(new Uri("api/admin/aes", UriKind.Relative), new { organization = "Central Hospital", aeTitle = "WAY_TOO_LONG_AE_TITLE" });
        Assert.Equal(HttpStatusCode.BadRequest, badAe.StatusCode);
        Assert.Contains("longer than 16", await badAe.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknownOrg = await http.GetAsync(new Uri("api/admin/users?organization=Nowhere", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, unknownOrg.StatusCode);

        Assert.True(await server.AuditedAsync("boss", "administer", "failure"));
    }

    [Fact]
    public async Task Only_an_administrator_of_the_centre_gets_in()
    {
        await using var server = await ServerProcess.StartAsync();
        var centre = await server.AddOrganizationAsync("Central Hospital", centre: true);
        var clinic = await server.AddOrganizationAsync("Township Clinic East");
        await server.AddUserAsync(centre, "radiologist", "rad", Password);
        await server.AddUserAsync(clinic, "admin", "clinic.admin", Password);
        await server.AddUserAsync(clinic, "technologist", "tech", Password);

        foreach (var (user, expected) in new[] { ("rad", HttpStatusCode.Forbidden), ("clinic.admin", HttpStatusCode.Forbidden), ("tech", HttpStatusCode.Forbidden) })
        {
            using var http = server.Client(user, Password);
            Assert.Equal(expected, (await http.GetAsync(new Uri("api/admin/users", UriKind.Relative))).StatusCode);
            var add = await http.PostAsJsonAsync(new Uri("api/admin/organizations", UriKind.Relative), new { name = "Sneaky", isCentre = true });
            Assert.Equal(expected, add.StatusCode);
        }
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("api/admin/organizations", UriKind.Relative))).StatusCode);

        await using var db = RadBridge.Archive.Index.ArchiveDatabase.Open(server.Location);
        Assert.DoesNotContain(db.Organizations, o => o.Name == "Sneaky");
    }
}
