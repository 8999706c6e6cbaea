using System.CommandLine;
using RadBridge.Dicom.Network.Association;

namespace RadBridge.Cli.Commands;

/// <summary>The TLS options of the network client commands: <c>--tls [--tls-ca FILE] [--tls-cert FILE --tls-key FILE]</c>.</summary>
internal sealed class ClientTlsOptions
{
    public Option<bool> Enable { get; } = new("--tls") { Description = "Connect with TLS (PS3.15 B.1); the server certificate must be trusted and match HOST" };

    public Option<string> Ca { get; } = new("--tls-ca") { Description = "PEM file of CA certificates to trust instead of the system store" };

    public Option<string> Cert { get; } = new("--tls-cert") { Description = "PEM file of our client certificate, for servers that require one" };

    public Option<string> Key { get; } = new("--tls-key") { Description = "PEM file of our client certificate's private key" };

    public void AddTo(Command command)
    {
        command.Options.Add(Enable);
        command.Options.Add(Ca);
        command.Options.Add(Cert);
        command.Options.Add(Key);
    }

    /// <summary>The TLS settings asked for, or null for plain TCP.</summary>
    /// <exception cref="Dicom.Network.DicomNetworkException">A PEM file cannot be used, or TLS options without --tls.</exception>
    public DicomTlsClientOptions? Build(ParseResult parse)
    {
        var ca = parse.GetValue(Ca);
        var cert = parse.GetValue(Cert);
        if (!parse.GetValue(Enable))
        {
            if (ca is not null || cert is not null) throw new Dicom.Network.DicomNetworkException("--tls-ca and --tls-cert need --tls");
            return null;
        }
        return new DicomTlsClientOptions
        {
            TrustedRoots = ca is null ? null : DicomTls.LoadRoots(ca),
            ClientCertificate = cert is null ? null : DicomTls.LoadCertificate(cert, parse.GetValue(Key)),
        };
    }
}
