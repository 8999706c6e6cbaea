using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>
/// i18n and accessibility smoke of the web app: both dictionaries have the same keys and no empty string (the compiler
/// checks this too, through dictionary()), and every page, for every role that sees it, renders in zh-CN and in English
/// with no missing-string mark, in the chosen language (&lt;html lang&gt;, headings), and with a name on every control.
/// </summary>
public sealed partial class WebAppI18nTests(WebAppHost host, ITestOutputHelper output) : IClassFixture<WebAppHost>
{
    private const string Password = "i18n test password";

    [Fact]
    public void Dictionaries_have_the_same_keys_and_no_empty_string()
    {
        var en = Entries(Path.Combine(TestPaths.RepoRoot, "web", "src", "i18n", "en.ts"));
        var zh = Entries(Path.Combine(TestPaths.RepoRoot, "web", "src", "i18n", "zh-CN.ts"));
        Assert.True(en.Count > 150, $"only {en.Count} keys read from en.ts: the file's layout changed");
        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.DoesNotContain(en, e => e.Value.Length == 0);
        Assert.DoesNotContain(zh, e => e.Value.Length == 0);
        // Placeholders ({name}) are the same in both, or a translated string would show a raw "{name}".
        foreach (var (key, text) in en)
        {
            Assert.True(Placeholders(text).SetEquals(Placeholders(zh[key])), $"{key}: '{text}' vs '{zh[key]}'");
        }
    }

    [Fact]
    public async Task Every_page_renders_in_both_languages_without_missing_strings_and_with_named_controls()
    {
        var centre = await host.Server.AddOrganizationAsync("I18n Centre", centre: true);
        var clinic = await host.Server.AddOrganizationAsync("I18n Clinic");
        await host.Server.AddUserAsync(clinic, "technologist", "i18n.tech", Password);
        await host.Server.AddUserAsync(centre, "radiologist", "i18n.rad", Password);
        await host.Server.AddUserAsync(centre, "admin", "i18n.admin", Password);
        await host.Server.AddUserAsync(centre, "auditor", "i18n.auditor", Password);
        await host.Server.SeedAsync(clinic, [TestPaths.Sample("CT_small.dcm")]);
        var study = DicomFile.Open(TestPaths.Sample("CT_small.dcm")).Dataset.GetString(DicomTags.StudyInstanceUID);
        string requestId;
        using (var http = host.Server.Server.Client("i18n.tech", Password))
        {
            var created = await http.PostAsJsonAsync(new Uri("api/read-requests", UriKind.Relative),
                new { studyInstanceUid = study, priority = "urgent", clinicalQuestion = "i18n smoke", bodyPart = "CHEST" });
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            requestId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        // (user, path, tabs to open on the page); null user = signed out.
        (string? User, string Path, string[] Tabs)[] pages =
        [
            (null, "/", []),
            ("i18n.tech", "/portal", ["tab-studies", "tab-upload", "tab-requests"]),
            ("i18n.tech", $"/requests/{requestId}", []),
            ("i18n.tech", "/admin", []),
            ("i18n.tech", "/no-such-page", []),
            ("i18n.rad", "/worklist", []),
            ("i18n.rad", $"/read/{requestId}", []),
            ("i18n.admin", "/admin", ["tab-users", "tab-aes", "tab-setup", "tab-organizations"]),
            ("i18n.auditor", "/", []),
        ];
        var tokens = new Dictionary<string, AccessToken>();
        foreach (var lang in new[] { "en", "zh-CN" })
        {
            foreach (var (user, path, tabs) in pages)
            {
                AccessToken? token = null;
                if (user is not null && !tokens.TryGetValue(user, out token)) tokens[user] = token = await host.Server.TokenAsync(user, Password);
                var page = await host.Browser.NewPageAsync(token);
                try
                {
                    await page.Page.AddInitScriptAsync($"localStorage.setItem('radbridge.lang', {JsonSerializer.Serialize(lang)});");
                    await page.Page.GotoAsync(new Uri(host.Server.BaseUrl, path.TrimStart('/')).ToString());
                    await CheckAsync(page, lang, $"{lang} {user ?? "signed out"} {path}");
                    foreach (var tab in tabs)
                    {
                        await page.Page.ClickAsync($"#{tab}");
                        await CheckAsync(page, lang, $"{lang} {user} {path} #{tab}");
                    }
                    await page.ScreenshotAsync($"i18n-{lang}-{user ?? "signed-out"}-{path.Trim('/').Split('/')[0]}");
                }
                catch
                {
                    output.WriteLine(page.Log());
                    throw;
                }
                finally
                {
                    await page.Page.CloseAsync();
                }
            }
        }
    }

    private static async Task CheckAsync(BrowserPage page, string lang, string where)
    {
        // Rendered: a heading, and no page-level "loading" left.
        await page.Page.WaitForFunctionAsync("() => document.querySelector('h1') && !document.querySelector('.page-status')");
        await page.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var state = await page.Page.EvaluateAsync<JsonElement>(
            """
            () => {
              const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
              const named = (el) => (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                || (el.tagName === 'BUTTON' && el.textContent.trim()) || el.title;
              const unnamed = [...document.querySelectorAll('input, select, textarea, button')]
                .filter((el) => el.type !== 'hidden' && visible(el) && !named(el))
                .map((el) => el.outerHTML.slice(0, 120));
              // Text of the page itself: form values and the options of pickers (e.g. template names) are data.
              const copy = document.body.cloneNode(true);
              copy.querySelectorAll('select, textarea, script, style').forEach((el) => el.remove());
              const holder = document.createElement('div');
              holder.style.position = 'absolute';
              holder.style.left = '-99999px';
              holder.appendChild(copy);
              document.documentElement.appendChild(holder);
              const text = copy.innerText;
              holder.remove();
              return { lang: document.documentElement.lang, text, h1: document.querySelector('h1').innerText, unnamed };
            }
            """);
        var text = state.GetProperty("text").GetString()!;
        Assert.False(text.Contains("⟦missing:", StringComparison.Ordinal), $"{where}: a missing string:\n{text}");
        Assert.Equal(lang, state.GetProperty("lang").GetString());
        var unnamed = state.GetProperty("unnamed").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.True(unnamed.Count == 0, $"{where}: controls without an accessible name:\n{string.Join("\n", unnamed)}");
        var h1 = state.GetProperty("h1").GetString()!;
        if (lang == "zh-CN")
        {
            Assert.True(Cjk().IsMatch(h1), $"{where}: the heading '{h1}' is not in Chinese");
        }
        else
        {
            // English pages show no Chinese but the language switch's own name for Chinese.
            Assert.False(Cjk().IsMatch(text.Replace("中文", "", StringComparison.Ordinal)), $"{where}: Chinese text on an English page:\n{text}");
        }
    }

    private static Dictionary<string, string> Entries(string file)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Entry().Matches(File.ReadAllText(file)))
        {
            Assert.True(entries.TryAdd(m.Groups[1].Value, m.Groups[2].Value), $"{file}: '{m.Groups[1].Value}' twice");
        }
        return entries;
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"^\s*'([a-zA-Z]+\.[a-zA-Z.]+)':\s*'((?:[^'\\]|\\.)*)',?\s*$", RegexOptions.Multiline)]
    private static partial Regex Entry();

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[\u3400-\u9fff\uff00-\uffef]")]
    private static partial Regex Cjk();
}
