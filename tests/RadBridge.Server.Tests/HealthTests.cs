using System.Net;

namespace RadBridge.Server.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Serve_answers_health_and_metrics_and_refuses_dicomweb_without_credentials()
    {
        await using var server = await ServerProcess.StartAsync();
        using var http = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode);
        var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
        Assert.True(File.Exists(server.Location.SqlitePath));
    }

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_with_exit_code_0_and_the_clean_stop_marker()
    {
        await using var server = await ServerProcess.StartAsync();
        using (var http = server.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode);
        }
        var exit = await server.StopGracefullyAsync();
        Assert.True(exit == 0, $"exit {exit}:\n{server.Output}");
        Assert.DoesNotContain("error:", server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, ".clean-shutdown")), server.Output);
    }
}
