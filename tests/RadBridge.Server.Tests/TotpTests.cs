using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests;

/// <summary>
/// The optional TOTP second factor on a running server, with codes computed by oathtool (an RFC 6238 implementation
/// nobody here wrote): enrolment and confirmation over the API, the password grant's <c>totp</c> parameter, replay
/// refusal, Basic refused while the factor is on, the login page's code step, turning it off.
/// </summary>
public sealed partial class TotpTests
{
    private const string Password = "second factor password";

    [Fact]
    public async Task Enrolled_account_needs_a_fresh_code_for_a_token_and_basic_is_refused_until_it_is_turned_off()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Central Hospital", centre: true);
        await server.AddUserAsync(org, "radiologist", "dr.totp", Password);
        using var basic = server.Client("dr.totp", Password);
        using var anonymous = server.Client();

        Assert.False((await basic.GetFromJsonAsync<JsonElement>(new Uri("api/me/totp", UriKind.Relative))).GetProperty("enabled").GetBoolean());
        var enrolment = await basic.PostAsync(new Uri("api/me/totp", UriKind.Relative), null);
        Assert.True(enrolment.StatusCode == HttpStatusCode.OK, await enrolment.Content.ReadAsStringAsync());
        var body = await enrolment.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.Equal($"otpauth://totp/RadBridge%3Adr.totp?secret={secret}&issuer=RadBridge&algorithm=SHA1&digits=6&period=30", body.GetProperty("otpauthUri").GetString());
        Assert.False(body.GetProperty("enabled").GetBoolean());

        // Not on before a code is confirmed: the password alone still gives a token.
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(anonymous, "dr.totp", Password, null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await basic.PostAsJsonAsync(new Uri("api/me/totp/confirm", UriKind.Relative), new { code = "000000" })).StatusCode);

        var codes = await CodesAsync(secret);
        var confirmed = await basic.PostAsJsonAsync(new Uri("api/me/totp/confirm", UriKind.Relative), new { code = codes.Previous });
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());

        // Basic is refused from now on; the password grant wants the code.
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync(new Uri("api/me", UriKind.Relative))).StatusCode);
        var noCode = await TokenAsync(anonymous, "dr.totp", Password, null);
        Assert.Equal((HttpStatusCode.BadRequest, "one-time code required"), (noCode.Status, noCode.Json.GetProperty("error_description").GetString()));
        var wrongCode = await TokenAsync(anonymous, "dr.totp", Password, codes.Current == "123456" ? "654321" : "123456");
        Assert.Equal("invalid one-time code", wrongCode.Json.GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenAsync(anonymous, "dr.totp", "wrong password", codes.Current)).Status);

        var granted = await TokenAsync(anonymous, "dr.totp", Password, codes.Current);
        Assert.True(granted.Status == HttpStatusCode.OK, granted.Json.ToString());
        // The same code again is a replay.
        var replay = await TokenAsync(anonymous, "dr.totp", Password, codes.Current);
        Assert.True(replay.Json.TryGetProperty("error_description", out var replayError), replay.Json.ToString());
        Assert.Equal("invalid one-time code", replayError.GetString());

        using var bearer = server.Client();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", granted.Json.GetProperty("access_token").GetString());
        Assert.True((await bearer.GetFromJsonAsync<JsonElement>(new Uri("api/me/totp", UriKind.Relative))).GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await bearer.PostAsync(new Uri("api/me/totp", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await bearer.DeleteAsync(new Uri("api/me/totp?code=" + codes.Current, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.DeleteAsync(new Uri("api/me/totp?code=" + codes.Next, UriKind.Relative))).StatusCode);

        // Off again: password-only logins work as before.
        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync(new Uri("api/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(anonymous, "dr.totp", Password, null)).Status);
        Assert.True(await server.AuditedAsync("dr.totp", "login", "success"));
    }

    [Fact]
    public async Task Login_page_asks_for_the_code_after_the_password()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Central Hospital", centre: true);
        await server.AddUserAsync(org, "expert", "expert.totp", Password);
        using var basic = server.Client("expert.totp", Password);
        var secret = (await (await basic.PostAsync(new Uri("api/me/totp", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var codes = await CodesAsync(secret);
        Assert.Equal(HttpStatusCode.OK, (await basic.PostAsJsonAsync(new Uri("api/me/totp/confirm", UriKind.Relative), new { code = codes.Previous })).StatusCode);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = server.BaseUrl };
        var page = await browser.GetStringAsync(new Uri("account/login?ReturnUrl=%2Fapi%2Fme", UriKind.Relative));
        var token = Antiforgery().Match(page);
        Assert.True(token.Success, page);

        var step1 = await browser.PostAsync(new Uri("account/login", UriKind.Relative), Form(token, ("username", "expert.totp"), ("password", Password), ("returnUrl", "/api/me")));
        var codePage = await step1.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, step1.StatusCode);
        Assert.Contains("autocomplete=\"one-time-code\"", codePage, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, codePage, StringComparison.Ordinal);
        var pending = WebUtility.HtmlDecode(Pending().Match(codePage).Groups[1].Value);
        Assert.NotEmpty(pending);
        Assert.DoesNotContain(handler.CookieContainer.GetCookies(server.BaseUrl), c => c.Name == "radbridge.session");

        var wrong = await browser.PostAsync(new Uri("account/login", UriKind.Relative), Form(token, ("pending", pending), ("code", "000000"), ("returnUrl", "/api/me")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("invalid one-time code", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forged = await browser.PostAsync(new Uri("account/login", UriKind.Relative), Form(token, ("pending", pending + "x"), ("code", codes.Current), ("returnUrl", "/api/me")));
        Assert.Contains("the login expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var step2 = await browser.PostAsync(new Uri("account/login", UriKind.Relative), Form(token, ("pending", pending), ("code", codes.Current), ("returnUrl", "/api/me")));
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Equal("/api/me", step2.Headers.Location!.OriginalString);
        Assert.Equal("expert.totp", (await browser.GetFromJsonAsync<JsonElement>(new Uri("api/me", UriKind.Relative))).GetProperty("user").GetString());
    }

    /// <summary>
    /// oathtool's codes for the previous, current and next 30-second step, taken well inside a step (so the server,
    /// which accepts one step either side, sees the same steps as current when the codes arrive).
    /// </summary>
    internal static async Task<(string Previous, string Current, string Next)> CodesAsync(string secret)
    {
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 30 is >= 20) await Task.Delay(500);
        var now = DateTimeOffset.UtcNow;
        async Task<string> At(DateTimeOffset t)
        {
            var result = await Dcmtk.RunAsync("oathtool", ["--totp", "--base32", "--now", t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture), secret]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output.Trim();
        }
        return (await At(now.AddSeconds(-30)), await At(now), await At(now.AddSeconds(30)));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> TokenAsync(HttpClient http, string user, string password, string? code)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "password"), new("username", user), new("password", password) };
        if (code is not null) form.Add(new("totp", code));
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(form));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static FormUrlEncodedContent Form(Match antiforgery, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new(antiforgery.Groups[1].Value, WebUtility.HtmlDecode(antiforgery.Groups[2].Value))));

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"pending\" value=\"([^\"]+)\"")]
    private static partial Regex Pending();
}
