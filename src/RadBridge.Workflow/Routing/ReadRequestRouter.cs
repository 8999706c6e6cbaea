using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Workflow.Routing;

/// <summary>A reader the router may pick: on duty or not, and how many open requests they hold.</summary>
public readonly record struct ReaderLoad(string UserName, bool OnDuty, int OpenAssigned);

/// <summary>The router's answer: the rule that matched (if any), the reader chosen (null: the centre's pool), and why.</summary>
public sealed record RoutingDecision(int? RuleId, string? Assignee, string Explanation);

/// <summary>
/// Chooses a reader for a new request: the first rule (by order) whose criteria all match; among its readers those on
/// duty; of those the least loaded (fewest open assigned requests; ties by name, so the choice is reproducible). No
/// matching rule, or nobody of its pool on duty: the request stays in the centre's pool for anyone to claim.
/// </summary>
public static class ReadRequestRouter
{
    public static RoutingDecision Route(ReadRequest request, IEnumerable<RoutingRule> rules, IEnumerable<ReaderLoad> readers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(readers);
        var rule = rules.Where(r => r.CentreOrganizationId == request.CentreOrganizationId)
            .OrderBy(r => r.Order).ThenBy(r => r.Id)
            .FirstOrDefault(r => Matches(r.Modality, request.Modality) && Matches(r.BodyPart, request.BodyPart) && Matches(r.Subspecialty, request.Subspecialty));
        if (rule is null) return new RoutingDecision(null, null, "no routing rule matches; left in the centre's pool");
        var pool = rule.ReaderNames.ToHashSet(StringComparer.Ordinal);
        if (pool.Count == 0) return new RoutingDecision(rule.Id, null, $"rule {rule.Id} names no reader; left in the centre's pool");
        var chosen = readers.Where(r => r.OnDuty && pool.Contains(r.UserName))
            .OrderBy(r => r.OpenAssigned).ThenBy(r => r.UserName, StringComparer.Ordinal)
            .Select(r => (ReaderLoad?)r).FirstOrDefault();
        return chosen is { } c
            ? new RoutingDecision(rule.Id, c.UserName, $"rule {rule.Id}: '{c.UserName}' is on duty with {c.OpenAssigned} open requests")
            : new RoutingDecision(rule.Id, null, $"rule {rule.Id}: none of its readers is on duty; left in the centre's pool");
    }

    /// <summary>An empty criterion matches anything; otherwise equal, ignoring case (DICOM code strings are upper case, people type either).</summary>
    private static bool Matches(string? criterion, string? value) =>
        string.IsNullOrWhiteSpace(criterion) || string.Equals(criterion.Trim(), value?.Trim(), StringComparison.OrdinalIgnoreCase);
}
