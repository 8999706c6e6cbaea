using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// TLS for an association acceptor (PS3.15 B.1, the Basic TLS Secure Transport Connection Profile): our certificate,
/// and optionally the CA that client certificates must chain to.
/// </summary>
public sealed record DicomTlsServerOptions
{
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Roots that client certificates are checked against (custom trust: the system store is not used).</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>When true, a client without a certificate chaining to <see cref="TrustedRoots"/> fails the handshake.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// When true (and <see cref="RequireClientCertificate"/> is not), a client certificate is asked for but optional, and
    /// accepted whatever its chain: the <see cref="IAssociationAuthorizer"/> judges it, e.g. by pinning its SHA-256
    /// thumbprint (<see cref="AssociationRequestInfo.ClientCertificate"/>). A certificate nobody pins grants nothing.
    /// </summary>
    public bool AcceptClientCertificateForPinning { get; init; }

    public SslProtocols Protocols { get; init; } = DicomTls.DefaultProtocols;
}

/// <summary>TLS for an association requestor: who to trust and, when the acceptor asks, our certificate.</summary>
public sealed record DicomTlsClientOptions
{
    /// <summary>Roots the server certificate must chain to; null uses the system's trust store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The name checked against the server certificate; default: the host connected to.</summary>
    public string? TargetHost { get; init; }

    public SslProtocols Protocols { get; init; } = DicomTls.DefaultProtocols;
}

/// <summary>The TLS handshake on either side, and PEM loading.</summary>
public static class DicomTls
{
    /// <summary>TLS 1.2 and 1.3: what PS3.15 B.9 (BCP 195 profiles) allows and DCMTK's default profile uses.</summary>
    public const SslProtocols DefaultProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>A certificate with its private key from PEM files (the key may be in the certificate file).</summary>
    /// <exception cref="DicomNetworkException">A file is missing or holds no usable certificate or key.</exception>
    public static X509Certificate2 LoadCertificate(string certificatePem, string? keyPem = null)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            throw new DicomNetworkException($"cannot load the TLS certificate '{certificatePem}'{(keyPem is null ? "" : $" with key '{keyPem}'")}: {ex.Message}", ex);
        }
    }

    /// <summary>Every certificate of a PEM bundle (trusted roots).</summary>
    /// <exception cref="DicomNetworkException">The file is missing or holds no certificate.</exception>
    public static X509Certificate2Collection LoadRoots(string pem)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new DicomNetworkException($"cannot load the CA certificates '{pem}': {ex.Message}", ex);
        }
        if (roots.Count == 0) throw new DicomNetworkException($"'{pem}' holds no certificate");
        return roots;
    }

    private static X509ChainPolicy CustomTrust(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    internal static async Task<SslStream> AuthenticateAsServerAsync(Stream transport, DicomTlsServerOptions tls, TimeSpan timeout, CancellationToken ct)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, additionalCertificates: null, offline: true),
            // "Required" makes the server ask for a certificate; the callback below decides whether one must come.
            ClientCertificateRequired = tls.RequireClientCertificate || tls.AcceptClientCertificateForPinning,
            EnabledSslProtocols = tls.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (tls.TrustedRoots is { } roots) options.CertificateChainPolicy = CustomTrust(roots);
        if (tls.AcceptClientCertificateForPinning && !tls.RequireClientCertificate)
        {
            // CA5359 is about trusting any server; this is the server taking any client certificate on purpose: it
            // authenticates nobody by itself, the authoriser compares its thumbprint with the pinned one.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (!tls.RequireClientCertificate)
        {
            // No certificate is fine when none is required; one that is presented must still validate.
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is null || errors == SslPolicyErrors.None;
        }
        await HandshakeAsync(ssl, (s, c) => s.AuthenticateAsServerAsync(options, c), timeout, ct).ConfigureAwait(false);
        return ssl;
    }

    internal static async Task<SslStream> AuthenticateAsClientAsync(Stream transport, string host, DicomTlsClientOptions tls, TimeSpan timeout, CancellationToken ct)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.TargetHost ?? host,
            EnabledSslProtocols = tls.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (tls.ClientCertificate is { } mine) options.ClientCertificateContext = SslStreamCertificateContext.Create(mine, additionalCertificates: null, offline: true);
        if (tls.TrustedRoots is { } roots) options.CertificateChainPolicy = CustomTrust(roots);
        await HandshakeAsync(ssl, (s, c) => s.AuthenticateAsClientAsync(options, c), timeout, ct).ConfigureAwait(false);
        return ssl;
    }

    private static async Task HandshakeAsync(SslStream ssl, Func<SslStream, CancellationToken, Task> handshake, TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await handshake(ssl, timer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException($"TLS handshake failed: {(ex is OperationCanceledException ? "timed out" : ex.Message)}", ex);
        }
    }
}
