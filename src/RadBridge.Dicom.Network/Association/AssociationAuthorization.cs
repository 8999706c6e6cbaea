using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// What an <see cref="IAssociationAuthorizer"/> sees of an A-ASSOCIATE-RQ that passed the AE title and peer checks:
/// who calls, from where, the User Identity Negotiation sub-item (PS3.7 D.3.3.7) when the requestor sent one, and the
/// client certificate it presented in the TLS handshake (validated against the server's trusted roots when it has them).
/// </summary>
public sealed record AssociationRequestInfo(string CallingAeTitle, string CalledAeTitle, IPEndPoint? Remote, UserIdentityRequest? UserIdentity,
    X509Certificate? ClientCertificate = null);

/// <summary>The authoriser's answer: accept (with the User Identity server response when one is due) or reject.</summary>
public sealed record AuthorizationDecision
{
    private AuthorizationDecision(AssociateRejectPdu? reject, ReadOnlyMemory<byte> serverResponse, object? principal)
    {
        Reject = reject;
        ServerResponse = serverResponse;
        Principal = principal;
    }

    /// <summary>The A-ASSOCIATE-RJ to send, null when accepted.</summary>
    public AssociateRejectPdu? Reject { get; }

    /// <summary>
    /// The server response (item 59H) sent in A-ASSOCIATE-AC when the requestor asked for a positive response: empty for
    /// username and username+passcode, the Kerberos server ticket, SAML response or JWT response otherwise (PS3.7 D.3.3.7.2).
    /// </summary>
    public ReadOnlyMemory<byte> ServerResponse { get; }

    /// <summary>
    /// Who the association acts for, as the authoriser established it (e.g. an organisation's registered AE); the
    /// services read it from <see cref="DicomAssociation.Principal"/>. Disposed when the association ends if it is
    /// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> (a place for per-association totals).
    /// </summary>
    public object? Principal { get; }

    public bool IsAccepted => Reject is null;

    public static AuthorizationDecision Accept(ReadOnlyMemory<byte> serverResponse = default) => new(null, serverResponse, null);

    /// <summary>Accepts on behalf of <paramref name="principal"/> (see <see cref="Principal"/>).</summary>
    public static AuthorizationDecision Accept(object principal, ReadOnlyMemory<byte> serverResponse = default) =>
        new(null, serverResponse, principal ?? throw new ArgumentNullException(nameof(principal)));

    /// <summary>
    /// Refuses the association. The default is how an authentication failure is signalled: rejected-permanent by the
    /// service-provider (ACSE related function), no reason given — PS3.8 has no dedicated reason.
    /// </summary>
    public static AuthorizationDecision Refuse(AssociateRejectPdu? reject = null) =>
        new(reject ?? new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReasons.AcseNoReasonGiven), default, null);
}

/// <summary>
/// The authorisation hook of <see cref="DicomServer"/>: called once per association request after the AE title, peer and
/// limit checks, before A-ASSOCIATE-AC. It may reject (A-ASSOCIATE-RJ) and supplies the User Identity server response.
/// </summary>
public interface IAssociationAuthorizer
{
    ValueTask<AuthorizationDecision> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken);
}

/// <summary>
/// Requires User Identity type 2 (username and passcode) matching one of a fixed set of accounts. Requests without an
/// identity, with another type, or with a wrong passcode are refused. Passcodes are compared in constant time.
/// </summary>
public sealed class UsernamePasscodeAuthorizer : IAssociationAuthorizer
{
    private readonly Dictionary<string, byte[]> _accounts;

    public UsernamePasscodeAuthorizer(IReadOnlyDictionary<string, string> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        _accounts = accounts.ToDictionary(a => a.Key, a => Encoding.UTF8.GetBytes(a.Value), StringComparer.Ordinal);
    }

    public ValueTask<AuthorizationDecision> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.UserIdentity is not { Type: UserIdentityType.UsernameAndPasscode } identity)
            return ValueTask.FromResult(AuthorizationDecision.Refuse());
        var user = Encoding.UTF8.GetString(identity.PrimaryField.Span);
        var known = _accounts.TryGetValue(user, out var passcode);
        // Compare against something even for an unknown user, so timing does not reveal which users exist.
        var matches = CryptographicOperations.FixedTimeEquals(known ? passcode : identity.SecondaryField.Span, identity.SecondaryField.Span) && known;
        return ValueTask.FromResult(matches ? AuthorizationDecision.Accept() : AuthorizationDecision.Refuse());
    }
}
