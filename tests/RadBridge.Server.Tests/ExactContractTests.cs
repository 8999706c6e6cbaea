using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RadBridge.Archive.Index;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests;

/// <summary>
/// Issue 6's exact contracts, as an operator would run them: the admin CLI beside a running server, curl with Basic
/// credentials on QIDO, DCMTK storescu into the AE's organisation, and a user of another organisation seeing none of it.
/// </summary>
public sealed class ExactContractTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Task<(int Exit, string Out, string Err)> AdminAsync(string stdin, params string[] args) =>
        RunAsync("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "radbridge.dll"), "admin" }.Concat(args), stdin);

    [Fact]
    public async Task Admin_cli_curl_and_storescu_work_per_organisation()
    {
        await using var server = await ServerProcess.StartAsync();
        var data = server.DataDirectory;
        Assert.Equal(0, (await AdminAsync("", "org", "add", "--data", data, "--name", "Clinic East")).Exit);
        Assert.Equal(0, (await AdminAsync("", "org", "add", "--data", data, "--name", "Clinic West")).Exit);
        var user = await AdminAsync("east-password-1\n", "user", "add", "--data", data, "--org", "Clinic East", "--role", "technologist", "--user", "east", "--password-stdin");
        Assert.True(user.Exit == 0, user.Err);
        Assert.Equal(0, (await AdminAsync("west-password-1\n", "user", "add", "--data", data, "--org", "Clinic West", "--role", "radiologist", "--user", "west", "--password-stdin")).Exit);
        var ae = await AdminAsync("", "ae", "add", "--data", data, "--org", "Clinic East", "--aet", "EASTCT");
        Assert.True(ae.Exit == 0, ae.Err);

        var store = await Dcmtk.RunAsync("storescu", ["-aet", "EASTCT", "-aec", server.AeTitle, "127.0.0.1", server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), TestPaths.Sample("CT_small.dcm")]);
        Assert.True(store.ExitCode == 0, store.Output);

        var study = DicomFile.Open(TestPaths.Sample("CT_small.dcm")).Dataset.GetString(DicomTags.StudyInstanceUID);
        var east = await RunAsync("curl", ["-s", "-f", "-u", "east:east-password-1", new Uri(server.BaseUrl, "dicomweb/studies").ToString()]);
        Assert.True(east.Exit == 0, east.Err);
        var found = JsonDocument.Parse(east.Out).RootElement.EnumerateArray().Select(s => s.GetProperty("0020000D").GetProperty("Value")[0].GetString()).ToList();
        Assert.Equal(study, Assert.Single(found));

        var west = await RunAsync("curl", ["-s", "-f", "-u", "west:west-password-1", new Uri(server.BaseUrl, "dicomweb/studies").ToString()]);
        Assert.True(west.Exit == 0, west.Err);
        Assert.Empty(JsonDocument.Parse(west.Out).RootElement.EnumerateArray());
        var wado = await RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", "west:west-password-1", new Uri(server.BaseUrl, $"dicomweb/studies/{study}").ToString()]);
        Assert.Equal("404", wado.Out);

        var token = await RunAsync("curl", ["-s", "-f", "-d", "grant_type=password&username=east&password=east-password-1", new Uri(server.BaseUrl, "connect/token").ToString()]);
        Assert.True(token.Exit == 0, token.Err);
        var access = JsonDocument.Parse(token.Out).RootElement.GetProperty("access_token").GetString();
        var bearer = await RunAsync("curl", ["-s", "-f", "-H", $"Authorization: Bearer {access}", new Uri(server.BaseUrl, "dicomweb/studies").ToString()]);
        Assert.True(bearer.Exit == 0, bearer.Err);
        Assert.Contains(study!, bearer.Out, StringComparison.Ordinal);

        await using var db = ArchiveDatabase.Open(server.Location);
        var owner = db.Studies.Single(s => s.StudyInstanceUid == study).OrganizationId;
        Assert.Equal(db.Organizations.Single(o => o.Name == "Clinic East").Id, owner);
    }
}
