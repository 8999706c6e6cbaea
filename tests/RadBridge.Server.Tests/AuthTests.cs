using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RadBridge.Server.Tests;

/// <summary>
/// Authentication of a running <c>radbridge serve</c>, as clients see it: the token endpoint (password grant, refresh,
/// authorization code + PKCE through the login page), Bearer and Basic on the API, lockout, keys that survive a
/// restart, the demo partnership, and the admin CLI beside the running server.
/// </summary>
public sealed partial class AuthTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Admin_cli_user_on_a_running_server_gets_a_token_accepted_as_bearer_before_and_after_a_restart()
    {
        await using var server = await ServerProcess.StartAsync();
        Admin(server, null, "org", "add", "--name", "Township Clinic East");
        Admin(server, Password + "\n", "user", "add", "--org", "Township Clinic East", "--role", "technologist", "--user", "tech.east", "--password-stdin");

        using var http = server.Client();
        var (status, token) = await TokenAsync(http, ("grant_type", "password"), ("username", "tech.east"), ("password", Password), ("scope", "offline_access"));
        Assert.True(status == HttpStatusCode.OK, token.ToString());
        var access = token.GetProperty("access_token").GetString()!;
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());

        // A plain signed JWT (header.payload.signature) whose payload carries the archive's claims.
        var parts = access.Split('.');
        Assert.Equal(3, parts.Length);
        using (var payload = JsonDocument.Parse(Base64UrlDecode(parts[1])))
        {
            Assert.Equal("tech.east", payload.RootElement.GetProperty("name").GetString());
            Assert.Equal("technologist", payload.RootElement.GetProperty("rb_role").GetString());
            Assert.Equal("1", payload.RootElement.GetProperty("rb_org").GetString());
        }

        var me = await MeAsync(server, new AuthenticationHeaderValue("Bearer", access));
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(("tech.east", "Township Clinic East", "technologist"),
            (me.Json.GetProperty("user").GetString(), me.Json.GetProperty("organization").GetString(), me.Json.GetProperty("role").GetString()));

        // Basic works on the API too; no credentials, a forged token or a wrong password do not.
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(server, Basic("tech.east", Password))).Status);
        var anonymous = await http.GetAsync(new Uri("api/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(server, new AuthenticationHeaderValue("Bearer", parts[0] + "." + parts[1] + ".AAAA"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(server, Basic("tech.east", Password + "x"))).Status);

        // The refresh token gives a new access token.
        var (refreshStatus, refreshed) = await TokenAsync(http, ("grant_type", "refresh_token"), ("refresh_token", token.GetProperty("refresh_token").GetString()!));
        Assert.True(refreshStatus == HttpStatusCode.OK, refreshed.ToString());
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(server, new AuthenticationHeaderValue("Bearer", refreshed.GetProperty("access_token").GetString()!))).Status);

        // The signing key is kept in the data directory (owner-only): the token outlives the process.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(Path.Combine(server.Location.KeysDirectory, "oauth-signing-key.pem")));
        await server.RestartOnSamePortsAsync();
        var afterRestart = await MeAsync(server, new AuthenticationHeaderValue("Bearer", access));
        Assert.True(afterRestart.Status == HttpStatusCode.OK, server.Output);
    }

    [Fact]
    public async Task Wrong_passwords_are_invalid_grant_and_the_fifth_locks_the_account()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Central Hospital", centre: true);
        await server.AddUserAsync(org, "radiologist", "rad", Password);
        using var http = server.Client();

        var (unknownStatus, unknown) = await TokenAsync(http, ("grant_type", "password"), ("username", "nobody"), ("password", Password));
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Equal("invalid_grant", unknown.GetProperty("error").GetString());
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var (status, error) = await TokenAsync(http, ("grant_type", "password"), ("username", "rad"), ("password", "wrong password " + attempt));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
            Assert.Equal(attempt < 5 ? "invalid username or password" : "account locked", error.GetProperty("error_description").GetString());
        }
        // Locked: the right password no longer opens it, by token or by Basic.
        var (lockedStatus, locked) = await TokenAsync(http, ("grant_type", "password"), ("username", "rad"), ("password", Password));
        Assert.Equal(HttpStatusCode.BadRequest, lockedStatus);
        Assert.Equal(("invalid_grant", "account locked"), (locked.GetProperty("error").GetString(), locked.GetProperty("error_description").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(server, Basic("rad", Password))).Status);
    }

    [Fact]
    public async Task The_web_app_logs_in_with_authorization_code_and_pkce()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Central Hospital", centre: true);
        await server.AddUserAsync(org, "expert", "expert", Password);
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = server.BaseUrl };

        var verifier = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var callback = new Uri(server.BaseUrl, "callback").ToString();
        var authorize = new Uri($"connect/authorize?client_id=radbridge-web&response_type=code&scope=openid%20offline_access&state=s1" +
                                $"&redirect_uri={Uri.EscapeDataString(callback)}&code_challenge={challenge}&code_challenge_method=S256", UriKind.Relative);

        var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.Equal("/account/login", toLogin.Headers.Location!.IsAbsoluteUri ? toLogin.Headers.Location.AbsolutePath : toLogin.Headers.Location.OriginalString.Split('?')[0]);
        var page = await (await browser.GetAsync(toLogin.Headers.Location)).Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(page);
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);
        Assert.True(antiforgery.Success, page);
        Assert.StartsWith("/connect/authorize?", returnUrl, StringComparison.Ordinal);

        // A form without the antiforgery token is refused; a wrong password shows the form again.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(new Uri("account/login", UriKind.Relative),
            new FormUrlEncodedContent([new("username", "expert"), new("password", Password)]))).StatusCode);
        var wrong = await browser.PostAsync(new Uri("account/login", UriKind.Relative), LoginForm(antiforgery, "expert", "not the password", returnUrl));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("invalid username or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var loggedIn = await browser.PostAsync(new Uri("account/login", UriKind.Relative), LoginForm(antiforgery, "expert", Password, returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        var toCallback = await browser.GetAsync(loggedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, toCallback.StatusCode);
        var location = toCallback.Headers.Location!;
        Assert.StartsWith(callback + "?", location.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("s1", query["state"]);

        using var http = server.Client();
        // The code is bound to the verifier: a wrong one is refused, the right one gives the tokens.
        var (badStatus, _) = await TokenAsync(http, ("grant_type", "authorization_code"), ("code", query["code"]!), ("redirect_uri", callback),
            ("client_id", "radbridge-web"), ("code_verifier", Base64UrlEncode(RandomNumberGenerator.GetBytes(32))));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        var loggedInAgain = await browser.GetAsync(authorize);
        var code = System.Web.HttpUtility.ParseQueryString(loggedInAgain.Headers.Location!.Query)["code"]!;
        var (status, token) = await TokenAsync(http, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callback),
            ("client_id", "radbridge-web"), ("code_verifier", verifier));
        Assert.True(status == HttpStatusCode.OK, token.ToString());
        Assert.True(token.TryGetProperty("refresh_token", out _));
        var me = await MeAsync(server, new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString()!));
        Assert.Equal(("expert", "expert", true), (me.Json.GetProperty("user").GetString(), me.Json.GetProperty("role").GetString(), me.Json.GetProperty("centre").GetBoolean()));
    }

    [Fact]
    public async Task First_start_creates_the_demo_partnership_prints_its_credentials_once_and_they_log_in()
    {
        await using var server = await ServerProcess.StartWithDemoAsync();
        Assert.Contains("Demo partnership created", server.Output, StringComparison.Ordinal);
        var file = server.Location.DemoCredentialsPath;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(file));
        var lines = (await File.ReadAllLinesAsync(file)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var admin = lines.Single(l => l.Length > 2 && l[0] == "admin");
        Assert.Contains(admin[2], server.Output, StringComparison.Ordinal);
        Assert.True(admin[2].Length >= 16);

        using var http = server.Client();
        var (status, token) = await TokenAsync(http, ("grant_type", "password"), ("username", "admin"), ("password", admin[2]));
        Assert.True(status == HttpStatusCode.OK, token.ToString());
        var me = await MeAsync(server, new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString()!));
        Assert.Equal(("Central Hospital", "admin"), (me.Json.GetProperty("organization").GetString(), me.Json.GetProperty("role").GetString()));
        var tech = lines.Single(l => l.Length > 2 && l[0] == "tech.west");
        var techMe = await MeAsync(server, Basic("tech.west", tech[2]));
        Assert.Equal(("Community Clinic West", "technologist"), (techMe.Json.GetProperty("organization").GetString(), techMe.Json.GetProperty("role").GetString()));
    }

    private static FormUrlEncodedContent LoginForm(Match antiforgery, string user, string password, string returnUrl) => new(
    [
        new(antiforgery.Groups[1].Value, antiforgery.Groups[2].Value),
        new("username", user),
        new("password", password),
        new("returnUrl", returnUrl),
    ]);

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<(HttpStatusCode Status, JsonElement Json)> MeAsync(ServerProcess server, AuthenticationHeaderValue authorization)
    {
        using var http = server.Client();
        http.DefaultRequestHeaders.Authorization = authorization;
        using var response = await http.GetAsync(new Uri("api/me", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 0 && body[0] == '{' ? JsonDocument.Parse(body).RootElement.Clone() : default);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> TokenAsync(HttpClient http, params (string Name, string Value)[] form)
    {
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative),
            new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Runs <c>radbridge admin ARGS --data DIR</c> against the server's data directory; fails the test on a non-zero exit.</summary>
    private static void Admin(ServerProcess server, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "radbridge.dll"));
        psi.ArgumentList.Add("admin");
        foreach (var a in args.Concat(["--data", server.DataDirectory])) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "radbridge admin did not finish");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"radbridge admin {string.Join(' ', args)}: {stderr.Result}{stdout.Result}");
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("file modes are checked on Unix") : File.GetUnixFileMode(path);

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
