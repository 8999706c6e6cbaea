using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Pdu;
using RadBridge.Server.Auth;
using RadBridge.Server.Hosting;

namespace RadBridge.Server.Dimse;

/// <summary>
/// Decides per association who may talk to the archive: the calling AE title must be a <see cref="RegisteredAe"/>, and
/// that registration's optional conditions must hold — the peer's address (Host), a DICOM User Identity that is a valid
/// user of the same organisation (RequiredUser), a TLS client certificate with the pinned SHA-256 thumbprint
/// (ClientCertificateSha256). An accepted association carries an <see cref="ArchiveAssociation"/> naming the organisation.
/// </summary>
/// <remarks>
/// The AE table is read per association: one lookup on the unique AE-title index, cheap next to the TCP and ACSE
/// round trips, and an <c>admin ae add</c> takes effect on the next association with no cache to go stale. Host names
/// are resolved once a minute at most.
/// </remarks>
public sealed partial class ArchiveAssociationAuthorizer(
    IDbContextFactory<ArchiveDbContext> contexts,
    IServiceScopeFactory scopes,
    BasicCredentialCache verified,
    IAuditSink audit,
    ArchiveMetrics metrics,
    ILoggerFactory loggers) : IAssociationAuthorizer
{
    private readonly ILogger _logger = loggers.CreateLogger<ArchiveAssociationAuthorizer>();
    private readonly ILogger _associations = loggers.CreateLogger<ArchiveAssociation>();

    private static readonly TimeSpan HostLifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, (IPAddress[] Addresses, DateTimeOffset Expires)> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var calling = request.CallingAeTitle.Trim();
        var remote = request.Remote?.Address is { } a ? Normalize(a) : null;
        RegisteredAe? ae;
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            ae = await db.RegisteredAes.FirstOrDefaultAsync(x => x.AeTitle == calling, cancellationToken).ConfigureAwait(false);
        }
        if (ae is null)
        {
            return await RefuseAsync(request, null, "calling AE title not recognised",
                new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CallingAeTitleNotRecognized), cancellationToken).ConfigureAwait(false);
        }
        if (!string.IsNullOrWhiteSpace(ae.Host) && (remote is null || !(await AddressesOfAsync(ae.Host.Trim(), cancellationToken).ConfigureAwait(false)).Contains(remote)))
        {
            return await RefuseAsync(request, ae, $"connection from {remote?.ToString() ?? "an unknown address"}, not from the registered host {ae.Host}",
                new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.UserNoReasonGiven), cancellationToken).ConfigureAwait(false);
        }
        if (!string.IsNullOrWhiteSpace(ae.ClientCertificateSha256))
        {
            var presented = request.ClientCertificate is { } certificate ? Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())) : null;
            var pinned = ae.ClientCertificateSha256.Replace(":", "", StringComparison.Ordinal).Trim();
            if (presented is null || !string.Equals(presented, pinned, StringComparison.OrdinalIgnoreCase))
            {
                return await RefuseAsync(request, ae, presented is null ? "no TLS client certificate, and the AE requires one" : "TLS client certificate is not the one registered for the AE",
                    null, cancellationToken).ConfigureAwait(false);
            }
        }
        if (!string.IsNullOrWhiteSpace(ae.RequiredUser))
        {
            var problem = await CheckUserAsync(request.UserIdentity, ae, cancellationToken).ConfigureAwait(false);
            if (problem is not null) return await RefuseAsync(request, ae, problem, null, cancellationToken).ConfigureAwait(false);
        }
        return AuthorizationDecision.Accept(new ArchiveAssociation(ae, remote?.ToString(), _associations, metrics));
    }

    /// <summary>Null when the identity is the AE's required user, of its organisation, with the right password; else why not.</summary>
    private async Task<string?> CheckUserAsync(UserIdentityRequest? identity, RegisteredAe ae, CancellationToken ct)
    {
        if (identity is not { Type: UserIdentityType.UsernameAndPasscode })
            return "the AE requires a user identity (username and passcode)";
        var userName = Encoding.UTF8.GetString(identity.PrimaryField.Span);
        var password = Encoding.UTF8.GetString(identity.SecondaryField.Span);
        if (!string.Equals(userName, ae.RequiredUser!.Trim(), StringComparison.OrdinalIgnoreCase))
            return $"user '{userName}' is not the one registered for the AE";
        var credentials = $"{userName}:{password}";
        if (verified.TryGet(credentials, out var claims))
        {
            return claims.Any(c => c.Type == ArchiveClaims.Organization && c.Value == ae.OrganizationId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ? null : $"user '{userName}' is not of the AE's organisation";
        }
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ArchiveUser>>();
            var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
            if (user is null) return "unknown user or wrong password";
            if (await users.IsLockedOutAsync(user).ConfigureAwait(false)) return $"user '{userName}' is locked out";
            if (!await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
            {
                await users.AccessFailedAsync(user).ConfigureAwait(false);
                return "unknown user or wrong password";
            }
            if (await users.GetAccessFailedCountAsync(user).ConfigureAwait(false) > 0) await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
            verified.Add(credentials, [.. ArchiveClaims.For(user)]);
            return user.OrganizationId == ae.OrganizationId ? null : $"user '{userName}' is not of the AE's organisation";
        }
    }

    private async ValueTask<AuthorizationDecision> RefuseAsync(AssociationRequestInfo request, RegisteredAe? ae, string reason, AssociateRejectPdu? reject, CancellationToken ct)
    {
        var remote = request.Remote?.Address is { } a ? Normalize(a).ToString() : null;
        Refused(_logger, request.CallingAeTitle, remote ?? "?", reason);
        metrics.DimseRefused.Add(1, new KeyValuePair<string, object?>("reason", ae is null ? "unknown_ae" : "conditions"));
        await audit.RecordAsync(new AuditEvent
        {
            Actor = "AE:" + request.CallingAeTitle,
            OrganizationId = ae?.OrganizationId,
            Action = AuditActions.Login,
            Channel = "DIMSE",
            RemoteAddress = remote,
            Outcome = "failure",
            Detail = $"association refused: {reason}",
        }, ct).ConfigureAwait(false);
        return AuthorizationDecision.Refuse(reject);
    }

    private async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal)) return [Normalize(literal)];
        if (_hosts.TryGetValue(host, out var cached) && cached.Expires > DateTimeOffset.UtcNow) return cached.Addresses;
        IPAddress[] addresses;
        try
        {
            addresses = [.. (await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false)).Select(Normalize)];
        }
        catch (SocketException ex)
        {
            UnresolvedHost(_logger, host, ex.Message);
            addresses = [];
        }
        if (_hosts.Count > 1000) _hosts.Clear();
        _hosts[host] = (addresses, DateTimeOffset.UtcNow + HostLifetime);
        return addresses;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    [LoggerMessage(LogLevel.Warning, "DICOM association from {CallingAe} at {Remote} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string callingAe, string remote, string reason);

    [LoggerMessage(LogLevel.Warning, "registered host {Host} does not resolve: {Problem}")]
    private static partial void UnresolvedHost(ILogger logger, string host, string problem);
}
