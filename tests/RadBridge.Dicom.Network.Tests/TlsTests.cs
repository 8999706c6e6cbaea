using System.Globalization;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// A throwaway PKI made with the openssl command in a temp folder (never committed): a CA, a server certificate for
/// 127.0.0.1/localhost and a client certificate, all signed by the CA, plus a self-signed stranger.
/// </summary>
public sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rb-pki-").FullName;
        Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path("ca.key"), "-out", Path("ca.pem"), "-days", "2",
            "-subj", "/CN=RadBridge Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Issue("server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        Issue("client", "RadBridge test client", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
        Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path("stranger.key"), "-out", Path("stranger.pem"), "-days", "2", "-subj", "/CN=stranger");
    }

    public string Directory { get; }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    private void Issue(string name, string subject, string extensions)
    {
        File.WriteAllText(Path(name + ".ext"), extensions);
        Run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", Path(name + ".key"), "-out", Path(name + ".csr"), "-subj", "/CN=" + subject);
        Run("x509", "-req", "-in", Path(name + ".csr"), "-CA", Path("ca.pem"), "-CAkey", Path("ca.key"), "-CAcreateserial",
            "-out", Path(name + ".pem"), "-days", "2", "-extfile", Path(name + ".ext"));
    }

    private static void Run(params string[] args)
    {
        var result = Dcmtk.RunAsync("openssl", args, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)}: {result}");
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>TLS (PS3.15 B.1) both ways with DCMTK built with OpenSSL: echoscu/storescu +tls to our SCP, our echo to storescp +tls.</summary>
public sealed class TlsTests(TestPki pki) : IClassFixture<TestPki>
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private DicomServerOptions WithTls(DicomServerOptions o, bool requireClient = true) => o with
    {
        Tls = new DicomTlsServerOptions
        {
            Certificate = DicomTls.LoadCertificate(pki.Path("server.pem"), pki.Path("server.key")),
            TrustedRoots = DicomTls.LoadRoots(pki.Path("ca.pem")),
            RequireClientCertificate = requireClient,
        },
    };

    [Fact]
    public async Task Dcmtk_echoscu_and_storescu_over_tls_reach_our_scp_requiring_a_client_certificate()
    {
        await using var scp = new TestScp(o => WithTls(o));
        string[] tls = ["+tls", pki.Path("client.key"), pki.Path("client.pem"), "+cf", pki.Path("ca.pem")];
        var echo = await Dcmtk.RunAsync("echoscu", [.. tls, "-aec", "RBSCP", "127.0.0.1", Port(scp.Port)]);
        Assert.True(echo.ExitCode == 0, echo.ToString());

        var sample = StoreSource.Open(TestPaths.Sample("CT_small.dcm"));
        var store = await Dcmtk.RunAsync("storescu", [.. tls, "-aec", "RBSCP", "127.0.0.1", Port(scp.Port), sample.Path]);
        Assert.True(store.ExitCode == 0, store.ToString());
        // storescu re-encodes (it drops the sample's trailing padding), so compare element by element.
        Assert.Empty(DatasetComparer.Differences(DicomFile.Open(sample.Path).Dataset, DicomFile.Open(scp.Handler.Stored[sample.SopInstanceUid]).Dataset));
    }

    [Fact]
    public async Task A_client_without_a_certificate_from_our_ca_fails_the_handshake_and_nothing_is_served()
    {
        await using var scp = new TestScp(o => WithTls(o));
        var stranger = await Dcmtk.RunAsync("echoscu", ["+tls", pki.Path("stranger.key"), pki.Path("stranger.pem"), "+cf", pki.Path("ca.pem"), "-aec", "RBSCP", "127.0.0.1", Port(scp.Port)]);
        Assert.NotEqual(0, stranger.ExitCode);

        var ours = new DicomClientOptions { CalledAeTitle = "RBSCP", Tls = new DicomTlsClientOptions { TrustedRoots = DicomTls.LoadRoots(pki.Path("ca.pem")) } };
        var ex = await Assert.ThrowsAnyAsync<DicomNetworkException>(async () =>
        {
            var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, ours, new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2"));
            await using (association) await association.EchoAsync();
        });
        Assert.NotNull(ex.Message);

        var plain = await Dcmtk.RunAsync("echoscu", ["-aec", "RBSCP", "127.0.0.1", Port(scp.Port)]);
        Assert.NotEqual(0, plain.ExitCode);
    }

    [Fact]
    public async Task Our_client_with_a_certificate_passes_client_authentication()
    {
        await using var scp = new TestScp(o => WithTls(o));
        var options = new DicomClientOptions
        {
            CalledAeTitle = "RBSCP",
            Tls = new DicomTlsClientOptions
            {
                TrustedRoots = DicomTls.LoadRoots(pki.Path("ca.pem")),
                ClientCertificate = DicomTls.LoadCertificate(pki.Path("client.pem"), pki.Path("client.key")),
            },
        };
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, options, new PresentationContextProposal().Add(Verification.SopClassUid, "1.2.840.10008.1.2"));
        await using (association)
        {
            Assert.True((await association.EchoAsync()).IsSuccess);
            await association.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Cli_echo_tls_reaches_dcmtk_storescp_over_tls_and_refuses_an_untrusted_server()
    {
        using var storescp = new Dcmtk.StoreScp("+tls", pki.Path("server.key"), pki.Path("server.pem"), "-vc", "+cf", pki.Path("ca.pem"));
        var ok = await RadbridgeProcess.RunAsync(["echo", "127.0.0.1", Port(storescp.Port), "--called", "STORESCP", "--tls", "--tls-ca", pki.Path("ca.pem")]);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var withCert = await RadbridgeProcess.RunAsync(["echo", "127.0.0.1", Port(storescp.Port), "--called", "STORESCP", "--tls", "--tls-ca", pki.Path("ca.pem"),
            "--tls-cert", pki.Path("client.pem"), "--tls-key", pki.Path("client.key")]);
        Assert.True(withCert.ExitCode == 0, withCert.ToString());

        var untrusted = await RadbridgeProcess.RunAsync(["echo", "127.0.0.1", Port(storescp.Port), "--called", "STORESCP", "--tls", "--tls-ca", pki.Path("stranger.pem")]);
        Assert.Equal(1, untrusted.ExitCode);
        var line = Assert.Single(untrusted.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error:", line, StringComparison.Ordinal);
        Assert.Contains("TLS handshake failed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_scp_serves_tls_to_storescu()
    {
        var port = Dcmtk.FreePort();
        var output = Directory.CreateTempSubdirectory("rb-scp-tls-").FullName;
        try
        {
            await using var scp = await RadbridgeProcess.Scp.StartAsync(["scp", "--port", Port(port), "--aet", "TLSSCP", "--out", output,
                "--tls-cert", pki.Path("server.pem"), "--tls-key", pki.Path("server.key"), "--tls-ca", pki.Path("ca.pem"), "--tls-require-client-cert"]);
            var sample = TestPaths.Sample("MR_small.dcm");
            var store = await Dcmtk.RunAsync("storescu", ["+tls", pki.Path("client.key"), pki.Path("client.pem"), "+cf", pki.Path("ca.pem"), "-aec", "TLSSCP", "127.0.0.1", Port(port), sample]);
            Assert.True(store.ExitCode == 0, store + scp.Log);
            Assert.Single(Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories));

            var bad = await RadbridgeProcess.RunAsync(["scp", "--port", "0", "--out", output, "--tls-cert", pki.Path("missing.pem")]);
            Assert.Equal(1, bad.ExitCode);
            Assert.StartsWith("error:", bad.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
