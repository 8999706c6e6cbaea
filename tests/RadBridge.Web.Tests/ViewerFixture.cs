using Microsoft.Playwright;

namespace RadBridge.Web.Tests;

/// <summary>
/// The viewer tests' world: a server serving the web app, a clinic with a 24-slice CT of a patient and an older CT of
/// the same patient (the prior), and a user of another clinic who must see none of it.
/// </summary>
public sealed class ViewerFixture : IAsyncLifetime
{
    public const string Password = "viewer test password";
    public const string ClinicUser = "viewer.tech";
    public const string OtherUser = "other.tech";
    public const int Slices = 24;

    /// <summary>Compressed CT samples the browser's WebAssembly codecs must decode: JPEG-LS near-lossless, JPEG 2000.</summary>
    public static readonly string[] CompressedSamples = ["CT2_JLSN.dcm", "CT1_J2KI.dcm"];

    public WebAppHost Host { get; } = new();
    public GeneratedCt Current { get; private set; } = null!;
    public GeneratedCt Prior { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Host.InitializeAsync();
        Current = await GeneratedCt.CreateAsync(Slices, 256, seed: 7101, patientId: "VIEW-0001", patientName: "Viewer^Test");
        Prior = await GeneratedCt.CreateAsync(6, 256, seed: 7102, patientId: "VIEW-0001", patientName: "Viewer^Test");
        var clinic = await Host.Server.AddOrganizationAsync("Viewer Clinic");
        var other = await Host.Server.AddOrganizationAsync("Other Clinic");
        await Host.Server.AddUserAsync(clinic, "technologist", ClinicUser, Password);
        await Host.Server.AddUserAsync(other, "technologist", OtherUser, Password);
        await Host.Server.SeedAsync(clinic, Current.Files.Concat(Prior.Files).Concat(CompressedSamples.Select(TestPaths.Sample)));
    }

    /// <summary>Opens /viewer/&lt;study&gt; signed in as the user and waits until the viewer shows an image or an error.</summary>
    public async Task<BrowserPage> OpenViewerAsync(string user, string studyUid)
    {
        var token = await Host.Server.TokenAsync(user, Password);
        var page = await Host.Browser.NewPageAsync(token);
        await page.Page.GotoAsync(new Uri(Host.Server.BaseUrl, $"viewer/{studyUid}").ToString());
        try
        {
            await page.Page.WaitForFunctionAsync("() => window.__radbridgeViewer && (window.__radbridgeViewer.ready || window.__radbridgeViewer.status === 'error')",
                null, new PageWaitForFunctionOptions { Timeout = 45_000 });
        }
        catch (TimeoutException e)
        {
            await page.ScreenshotAsync("viewer-timeout");
            throw new TimeoutException(e.Message + "\n" + page.Log(), e);
        }
        return page;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Current?.Delete();
        Prior?.Delete();
    }
}
