using Microsoft.Extensions.Logging;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Dicom.Network.Association;

/// <summary>What both sides of an association configure: limits and timeouts (PS3.8 §9.1.5 ARTIM, DIMSE, network).</summary>
public abstract record DicomAssociationOptions
{
    /// <summary>The maximum P-DATA-TF length we announce and accept (PS3.8 D.1); also caps what we send.</summary>
    public uint MaxPduLength { get; init; } = 256 * 1024;

    /// <summary>ARTIM: how long to wait for the A-ASSOCIATE-RQ/AC and for the peer to close after release or abort.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the next PDU of a DIMSE message or for a response.</summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an established association may stay idle between messages, and the TCP connect timeout.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(300);

    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>Options of an association requestor (SCU).</summary>
public sealed record DicomClientOptions : DicomAssociationOptions
{
    public string CallingAeTitle { get; init; } = "RADBRIDGE";
    public string CalledAeTitle { get; init; } = "ANY-SCP";

    /// <summary>TLS (PS3.15 B.1) when set; plain TCP otherwise.</summary>
    public DicomTlsClientOptions? Tls { get; init; }
}

/// <summary>Options of an association acceptor (SCP).</summary>
public sealed record DicomServerOptions : DicomAssociationOptions
{
    /// <summary>Our AE title, answered in A-ASSOCIATE-AC.</summary>
    public string AeTitle { get; init; } = "RADBRIDGE";

    /// <summary>When true, a request whose Called AE Title is not <see cref="AeTitle"/> is rejected (reason 7).</summary>
    public bool RequireCalledAeTitle { get; init; }

    /// <summary>Calling AE titles allowed; null allows any (otherwise rejection reason 3).</summary>
    public IReadOnlySet<string>? AllowedCallingAeTitles { get; init; }

    /// <summary>Peer IP addresses allowed; null allows any (otherwise rejected, no reason given).</summary>
    public IReadOnlySet<System.Net.IPAddress>? AllowedPeers { get; init; }

    /// <summary>Associations served at once; more are rejected transiently (local limit exceeded).</summary>
    public int MaxAssociations { get; init; } = 32;

    /// <summary>Accept a transfer syntax for an abstract syntax? The first proposed one accepted wins.</summary>
    public Func<string, DicomTransferSyntax, bool> AcceptTransferSyntax { get; init; } = TransferSyntaxPolicies.Uncompressed;

    /// <summary>TLS (PS3.15 B.1) on every connection when set; plain TCP otherwise.</summary>
    public DicomTlsServerOptions? Tls { get; init; }

    /// <summary>Authorisation hook (user identity and more), called before accepting; null accepts without one.</summary>
    public IAssociationAuthorizer? Authorizer { get; init; }

    /// <summary>
    /// SCP/SCU role selection: may the requestor take the SCP role for this SOP class (we then invoke its operations,
    /// e.g. C-STORE sub-operations of C-GET)? Default: for storage SOP classes, the ones a C-GET SCU receives.
    /// </summary>
    public Func<string, bool> AcceptRequestorScpRole { get; init; } = StorageSopClasses.Contains;
}

/// <summary>Ready-made answers to "accept this transfer syntax?".</summary>
public static class TransferSyntaxPolicies
{
    /// <summary>Native encodings: Implicit/Explicit VR Little Endian, Explicit VR Big Endian, Deflated.</summary>
    public static bool Uncompressed(string abstractSyntax, DicomTransferSyntax syntax) =>
        syntax is not null && syntax.IsKnown && !syntax.IsEncapsulated;

    /// <summary>Every transfer syntax of our table, native and encapsulated (a storage SCP keeps the bytes as sent).</summary>
    public static bool AllKnown(string abstractSyntax, DicomTransferSyntax syntax) => syntax is not null && syntax.IsKnown;
}
