using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Workflow.Sla;

/// <summary>Where a request stands against its deadline (wire names: ok, warning, breached, met).</summary>
public enum SlaState
{
    Ok,
    Warning,
    Breached,

    /// <summary>Signed before the deadline.</summary>
    Met,
}

/// <summary>The SLA of a request at a moment: its state and the seconds left (negative once breached).</summary>
public readonly record struct SlaStatus(SlaState State, long SecondsLeft);

/// <summary>
/// The time a centre has to sign a report, per priority, and when to warn. Configurable (server configuration section
/// <c>Workflow:Sla</c>); the defaults are the partnership's agreement: STAT 30 minutes, urgent 2 hours, routine 24 hours,
/// a warning once 75 % of the time is used.
/// </summary>
public sealed class SlaPolicy
{
    public TimeSpan Stat { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan Urgent { get; set; } = TimeSpan.FromHours(2);
    public TimeSpan Routine { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The fraction of the allowed time after which a request is in <see cref="SlaState.Warning"/>.</summary>
    public double WarningFraction { get; set; } = 0.75;

    public TimeSpan AllowedTime(ReadPriority priority) => priority switch
    {
        ReadPriority.Stat => Stat,
        ReadPriority.Urgent => Urgent,
        _ => Routine,
    };

    /// <summary>Refuses settings that would make every request breached or never warned.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { ("Stat", Stat), ("Urgent", Urgent), ("Routine", Routine) })
        {
            if (value <= TimeSpan.Zero) throw new WorkflowException(WorkflowRefusal.InvalidInput, $"the SLA time for {name} must be positive, not {value}");
        }
        if (WarningFraction is <= 0 or > 1 || double.IsNaN(WarningFraction))
        {
            throw new WorkflowException(WorkflowRefusal.InvalidInput, $"the SLA warning fraction must be in (0, 1], not {WarningFraction}");
        }
    }

    /// <summary>
    /// The SLA of <paramref name="request"/> at <paramref name="now"/>. The clock runs from <see cref="ReadRequest.SlaStartedAt"/>
    /// to the first signature (met or breached for good) or, for a returned or cancelled request, stops where it was.
    /// </summary>
    public SlaStatus Evaluate(ReadRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.FirstSignedAt is { } signed)
        {
            var margin = (long)Math.Floor((request.DueAt - signed).TotalSeconds);
            return new SlaStatus(signed <= request.DueAt ? SlaState.Met : SlaState.Breached, margin);
        }
        var at = request.SlaStoppedAt ?? now;
        var left = request.DueAt - at;
        var secondsLeft = (long)Math.Floor(left.TotalSeconds);
        if (left < TimeSpan.Zero) return new SlaStatus(SlaState.Breached, secondsLeft);
        var allowed = request.DueAt - request.SlaStartedAt;
        var elapsed = at - request.SlaStartedAt;
        var state = allowed > TimeSpan.Zero && elapsed.Ticks >= allowed.Ticks * WarningFraction ? SlaState.Warning : SlaState.Ok;
        return new SlaStatus(state, secondsLeft);
    }
}
