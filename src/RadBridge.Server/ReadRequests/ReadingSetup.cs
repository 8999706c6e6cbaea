using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Routing;

namespace RadBridge.Server.ReadRequests;

/// <summary>A reader of the centre: who, on duty or not, and their open assigned requests (the router's load).</summary>
public sealed record ReaderView(string User, string? DisplayName, string Role, bool OnDuty, IReadOnlyList<string> Subspecialties, int OpenAssigned);

/// <summary>The body of <c>PUT /api/readers/{user}/availability</c>.</summary>
public sealed record AvailabilityBody(bool OnDuty, IReadOnlyList<string>? Subspecialties = null);

/// <summary>A routing rule as the API shows and takes it (criteria null for "any").</summary>
public sealed record RoutingRuleView(int? Id, int Order, string? Modality, string? BodyPart, string? Subspecialty, IReadOnlyList<string> Readers);

/// <summary>
/// The centre's reading setup: who is on duty and the routing rules. Centre users read it; readers set their own
/// availability; the centre's administrator sets anyone's and the rules. Changes are audited.
/// </summary>
internal sealed class ReadingSetup(IDbContextFactory<ArchiveDbContext> contexts, IAuditSink audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReaderView>> ReadersAsync(ArchiveCaller caller, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var centre = await RequireCentreAsync(db, caller, ct).ConfigureAwait(false);
        var readers = await db.Users.Where(u => u.OrganizationId == centre && (u.Role == ArchiveRoles.Radiologist || u.Role == ArchiveRoles.Expert))
            .OrderBy(u => u.UserName).Select(u => new { Name = u.UserName!, u.DisplayName, u.Role }).ToListAsync(ct).ConfigureAwait(false);
        var availability = await db.ReaderAvailability.Where(a => a.CentreOrganizationId == centre).ToDictionaryAsync(a => a.UserName, ct).ConfigureAwait(false);
        var names = readers.Select(r => r.Name).ToList();
        var loadStates = ReadRequest.LoadStates.ToList();
        var loads = await db.ReadRequests.Where(r => r.Assignee != null && names.Contains(r.Assignee) && loadStates.Contains(r.Status))
            .GroupBy(r => r.Assignee!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct).ConfigureAwait(false);
        return readers.Select(r =>
        {
            var a = availability.GetValueOrDefault(r.Name);
            return new ReaderView(r.Name, r.DisplayName, r.Role, a?.OnDuty ?? false, Split(a?.Subspecialties), loads.GetValueOrDefault(r.Name));
        }).ToList();
    }

    public async Task<ReaderView> SetAvailabilityAsync(ArchiveCaller caller, string user, AvailabilityBody body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var centre = await RequireCentreAsync(db, caller, ct).ConfigureAwait(false);
        if (caller.Role != ArchiveRoles.Admin && !string.Equals(caller.Name, user, StringComparison.Ordinal))
        {
            throw new WorkflowException(WorkflowRefusal.NotPermitted, "a reader sets only their own availability; the centre's administrator sets anyone's");
        }
        if (!await db.Users.AnyAsync(u => u.UserName == user && u.OrganizationId == centre && (u.Role == ArchiveRoles.Radiologist || u.Role == ArchiveRoles.Expert), ct).ConfigureAwait(false))
        {
            throw new WorkflowException(WorkflowRefusal.NotFound, $"'{user}' is not a reader (radiologist or expert) of the centre");
        }
        var subspecialties = Clean(body.Subspecialties, "subspecialty");
        var row = await db.ReaderAvailability.AsTracking().FirstOrDefaultAsync(a => a.UserName == user, ct).ConfigureAwait(false);
        if (row is null)
        {
            row = new ReaderAvailability { UserName = user, CentreOrganizationId = centre };
            db.ReaderAvailability.Add(row);
        }
        row.OnDuty = body.OnDuty;
        row.Subspecialties = subspecialties.Count == 0 ? null : string.Join('\\', subspecialties);
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await AuditAsync(caller, $"reader '{user}' {(body.OnDuty ? "on duty" : "off duty")}", ct).ConfigureAwait(false);
        return (await ReadersAsync(caller, ct).ConfigureAwait(false)).Single(r => r.User == user);
    }

    public async Task<IReadOnlyList<RoutingRuleView>> RulesAsync(ArchiveCaller caller, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var centre = await RequireCentreAsync(db, caller, ct).ConfigureAwait(false);
        var rules = await db.RoutingRules.Where(r => r.CentreOrganizationId == centre).OrderBy(r => r.Order).ThenBy(r => r.Id).ToListAsync(ct).ConfigureAwait(false);
        return rules.Select(r => new RoutingRuleView(r.Id, r.Order, r.Modality, r.BodyPart, r.Subspecialty, r.ReaderNames)).ToList();
    }

    /// <summary>Replaces the centre's rules (the administrator edits them as one ordered list).</summary>
    public async Task<IReadOnlyList<RoutingRuleView>> ReplaceRulesAsync(ArchiveCaller caller, IReadOnlyList<RoutingRuleView> rules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rules);
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var centre = await RequireCentreAsync(db, caller, ct).ConfigureAwait(false);
        if (caller.Role != ArchiveRoles.Admin) throw new WorkflowException(WorkflowRefusal.NotPermitted, "only the centre's administrator sets the routing rules");
        if (rules.Count > 200) throw new WorkflowException(WorkflowRefusal.InvalidInput, "at most 200 routing rules");
        var readers = (await db.Users.Where(u => u.OrganizationId == centre && (u.Role == ArchiveRoles.Radiologist || u.Role == ArchiveRoles.Expert))
            .Select(u => u.UserName!).ToListAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var rows = new List<RoutingRule>();
        foreach (var rule in rules)
        {
            var names = Clean(rule.Readers, "reader");
            if (names.FirstOrDefault(n => !readers.Contains(n)) is { } unknown)
            {
                throw new WorkflowException(WorkflowRefusal.InvalidInput, $"'{unknown}' is not a reader (radiologist or expert) of the centre");
            }
            rows.Add(new RoutingRule
            {
                CentreOrganizationId = centre,
                Order = rule.Order,
                Modality = Criterion(rule.Modality, 16)?.ToUpperInvariant(),
                BodyPart = Criterion(rule.BodyPart, 64)?.ToUpperInvariant(),
                Subspecialty = Criterion(rule.Subspecialty, 64)?.ToLowerInvariant(),
                Readers = string.Join('\\', names),
            });
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            await db.RoutingRules.Where(r => r.CentreOrganizationId == centre).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            db.RoutingRules.AddRange(rows);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        await AuditAsync(caller, $"routing rules replaced ({rows.Count})", ct).ConfigureAwait(false);
        return await RulesAsync(caller, ct).ConfigureAwait(false);
    }

    /// <summary>The caller's organisation, which must be the centre; its users with access to patient data see the setup.</summary>
    private static async Task<int> RequireCentreAsync(ArchiveDbContext db, ArchiveCaller caller, CancellationToken ct)
    {
        var isCentre = caller.CanReadPatientData
            && await db.Organizations.AnyAsync(o => o.Id == caller.OrganizationId && o.IsCentre, ct).ConfigureAwait(false);
        return isCentre ? caller.OrganizationId
            : throw new WorkflowException(WorkflowRefusal.NotPermitted, "only the centre's users see and set its readers and routing rules");
    }

    private static string? Criterion(string? value, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text == "*") return null;
        return text.Length > max ? throw new WorkflowException(WorkflowRefusal.InvalidInput, $"'{text}' is longer than {max} characters") : text;
    }

    private static List<string> Clean(IReadOnlyList<string>? values, string what)
    {
        var result = new List<string>();
        foreach (var v in values ?? [])
        {
            var t = v?.Trim() ?? "";
            if (t.Length == 0 || t.Length > 256 || t.Contains('\\', StringComparison.Ordinal))
            {
                throw new WorkflowException(WorkflowRefusal.InvalidInput, $"'{v}' is not a valid {what}");
            }
            if (!result.Contains(t, StringComparer.Ordinal)) result.Add(t);
        }
        return result;
    }

    private static string[] Split(string? joined) => string.IsNullOrEmpty(joined) ? [] : joined.Split('\\');

    private ValueTask AuditAsync(ArchiveCaller caller, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEvent
        {
            Actor = caller.Name,
            OrganizationId = caller.OrganizationId,
            Action = AuditActions.Administer,
            Channel = caller.Channel,
            RemoteAddress = caller.RemoteAddress,
            Outcome = "success",
            Detail = detail,
        }, ct);
}
