using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;
using RadBridge.Server.ReadRequests;

namespace RadBridge.Server.Hubs;

/// <summary>What the server calls on a worklist client.</summary>
public interface IWorklistClient
{
    // The method names are the wire names of the issue-7 contract ("readRequestChanged"): the .NET client matches
    // handler names exactly, so the interface spells them as clients register them.
#pragma warning disable IDE1006 // camelCase on purpose: the SignalR method name on the wire.
    /// <summary>A request the connection may see was created or changed.</summary>
    Task readRequestChanged(ReadRequestView request);

    /// <summary>An SLA warning or escalation, or a critical finding to acknowledge.</summary>
    Task notification(NotificationView notification);
#pragma warning restore IDE1006
}

/// <summary>
/// The live worklist (<c>/hubs/worklist</c>): server → client only. A connection joins the groups of its organisation
/// (one for trainees, whose views are redacted, one for everyone else) and of its role there; a change is sent to the
/// groups of the request's clinic and centre, so every connection allowed to see it gets it, and nobody else.
/// </summary>
[Authorize]
public sealed class WorklistHub : Hub<IWorklistClient>
{
    public const string Path = "/hubs/worklist";

    public override async Task OnConnectedAsync()
    {
        var caller = Context.GetHttpContext()?.GetArchiveCaller("API");
        if (caller is null || !caller.CanReadPatientData)
        {
            // An auditor sees no read request; nothing would ever be sent to the connection.
            Context.Abort();
            return;
        }
        foreach (var group in WorklistGroups.For(caller))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group).ConfigureAwait(false);
        }
        await base.OnConnectedAsync().ConfigureAwait(false);
    }
}

/// <summary>The hub's group names, in one place.</summary>
public static class WorklistGroups
{
    public static string Organization(int id) => string.Create(CultureInfo.InvariantCulture, $"org:{id}");

    public static string Redacted(int id) => string.Create(CultureInfo.InvariantCulture, $"org:{id}:redacted");

    public static string Role(int id, string role) => string.Create(CultureInfo.InvariantCulture, $"org:{id}:role:{role}");

    public static IEnumerable<string> For(ArchiveCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        yield return ReadRequestParties.Redacted(caller) ? Redacted(caller.OrganizationId) : Organization(caller.OrganizationId);
        yield return Role(caller.OrganizationId, caller.Role);
    }
}

/// <summary>Pushes workflow changes to the hub's clients.</summary>
public interface IWorklistBroadcaster
{
    Task RequestChangedAsync(ReadRequestView view, int clinicOrganizationId, int centreOrganizationId);

    /// <summary>To the users of <paramref name="organizationId"/> (only those of <paramref name="role"/> when given).</summary>
    Task NotifyAsync(NotificationView notification, int organizationId, string? role);
}

internal sealed class WorklistBroadcaster(IHubContext<WorklistHub, IWorklistClient> hub) : IWorklistBroadcaster
{
    public async Task RequestChangedAsync(ReadRequestView view, int clinicOrganizationId, int centreOrganizationId)
    {
        ArgumentNullException.ThrowIfNull(view);
        int[] orgs = clinicOrganizationId == centreOrganizationId ? [clinicOrganizationId] : [clinicOrganizationId, centreOrganizationId];
        await hub.Clients.Groups(orgs.Select(WorklistGroups.Organization).ToList()).readRequestChanged(view).ConfigureAwait(false);
        await hub.Clients.Groups(orgs.Select(WorklistGroups.Redacted).ToList()).readRequestChanged(view.Redact()).ConfigureAwait(false);
    }

    public Task NotifyAsync(NotificationView notification, int organizationId, string? role) =>
        (role is null ? hub.Clients.Groups(WorklistGroups.Organization(organizationId), WorklistGroups.Redacted(organizationId))
            : hub.Clients.Group(WorklistGroups.Role(organizationId, role))).notification(notification);
}
