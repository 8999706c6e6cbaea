namespace RadBridge.Web.Tests;

/// <summary>
/// The per-class fixture of the browser tests: one server serving the web app and one headless chromium. Test classes
/// seed what they need through <see cref="Server"/> and open pages through <see cref="Browser"/>.
/// </summary>
public sealed class WebAppHost : IAsyncLifetime
{
    private WebAppServer? _server;
    private Browser? _browser;

    public WebAppServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public Browser Browser => _browser ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync()
    {
        _server = await WebAppServer.StartAsync();
        _browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
