using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests.Dimse;

/// <summary>
/// DICOM TLS on the archive's DICOM port (<c>serve --tls-cert PFX</c>) with DCMTK's storescu, and an AE whose client
/// certificate is pinned: only that certificate gets in. Throwaway self-signed certificates made with openssl.
/// </summary>
public sealed class ArchiveScpTlsTests
{
    [Fact]
    public async Task Over_tls_an_ae_with_a_pinned_client_certificate_is_accepted_only_with_that_certificate()
    {
        var dir = Directory.CreateTempSubdirectory("rb-archive-tls-").FullName;
        Process? server = null;
        try
        {
            string Path(string name) => System.IO.Path.Combine(dir, name);
            await OpensslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path("server.key"), "-out", Path("server.pem"), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            await OpensslAsync("pkcs12", "-export", "-in", Path("server.pem"), "-inkey", Path("server.key"), "-out", Path("server.pfx"), "-passout", "pass:test-pfx");
            foreach (var name in new[] { "client", "stranger" })
            {
                await OpensslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path(name + ".key"), "-out", Path(name + ".pem"), "-days", "2", "-subj", "/CN=" + name);
            }
            var pin = Convert.ToHexString(SHA256.HashData(X509Certificate2.CreateFromPem(File.ReadAllText(Path("client.pem"))).RawData));

            var location = new ArchiveLocation(Path("data"));
            await ArchiveDatabase.EnsureSchemaAsync(location);
            await using (var db = ArchiveDatabase.Open(location))
            {
                var org = new Organization { Name = "Clinic A", CreatedAt = DateTimeOffset.UtcNow };
                db.Organizations.Add(org);
                await db.SaveChangesAsync();
                db.RegisteredAes.Add(new RegisteredAe { OrganizationId = org.Id, AeTitle = "PINNED", ClientCertificateSha256 = pin.ToLowerInvariant() });
                db.RegisteredAes.Add(new RegisteredAe { OrganizationId = org.Id, AeTitle = "OPEN" });
                await db.SaveChangesAsync();
            }
            var dicomPort = ServerProcess.FreePort();
            server = StartServe(location.DataDirectory, ServerProcess.FreePort(), dicomPort, Path("server.pfx"));
            var port = dicomPort.ToString(CultureInfo.InvariantCulture);
            string[] Tls(string? name) => name is null ? ["+tla", "-ic"] : ["+tls", Path(name + ".key"), Path(name + ".pem"), "-ic"];
            Task<Dcmtk.Result> Echo(string ae, string? cert) => Dcmtk.RunAsync("echoscu", [.. Tls(cert), "-aet", ae, "-aec", "RADBRIDGE", "127.0.0.1", port]);

            // Ready once an AE without conditions gets an echo answered over TLS.
            var open = await Echo("OPEN", null);
            for (var i = 0; i < 120 && open.ExitCode != 0 && !server.HasExited; i++)
            {
                await Task.Delay(250);
                open = await Echo("OPEN", null);
            }
            Assert.True(open.ExitCode == 0, open.ToString());

            var store = await Dcmtk.RunAsync("storescu", [.. Tls("client"), "-aet", "PINNED", "-aec", "RADBRIDGE", "127.0.0.1", port, TestPaths.Sample("CT_small.dcm")]);
            Assert.True(store.ExitCode == 0, store.ToString());
            var stranger = await Echo("PINNED", "stranger");
            Assert.True(stranger.ExitCode != 0, stranger.ToString());
            var anonymous = await Echo("PINNED", null);
            Assert.True(anonymous.ExitCode != 0, anonymous.ToString());
            // Plain TCP to a TLS port gets nowhere.
            var plain = await Dcmtk.RunAsync("echoscu", ["-to", "5", "-aet", "OPEN", "-aec", "RADBRIDGE", "127.0.0.1", port]);
            Assert.True(plain.ExitCode != 0, plain.ToString());
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
            server?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process StartServe(string data, int httpPort, int dicomPort, string pfx)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "radbridge.dll"), "serve", "--data", data, "--no-demo",
                     "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--dicom-port", dicomPort.ToString(CultureInfo.InvariantCulture),
                     "--tls-cert", pfx, "--tls-password", "test-pfx" })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task OpensslAsync(params string[] args)
    {
        var result = await Dcmtk.RunAsync("openssl", args, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', args)}: {result}");
    }
}
