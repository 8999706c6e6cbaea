using System.Collections.Frozen;
using System.Globalization;

namespace RadBridge.Workflow.ReadRequests;

/// <summary>One row of the transition table: from a state, an action leads to a state, and who may take it.</summary>
public sealed record ReadRequestTransition(ReadRequestStatus From, ReadRequestAction Action, ReadRequestStatus To, WorkflowParty AllowedParties);

/// <summary>
/// The read request's state machine: one table, one place (STYLE.md principle 9). Anything not in the table is refused
/// with a <see cref="WorkflowException"/> whose message says what the state is and what would make the action possible.
/// </summary>
public static class ReadRequestTransitions
{
    private const WorkflowParty Clinic = WorkflowParty.Clinic;
    private const WorkflowParty Reader = WorkflowParty.Reader;
    private const WorkflowParty Assignee = WorkflowParty.Assignee;
    private const WorkflowParty Admin = WorkflowParty.CentreAdmin;
    private const WorkflowParty System = WorkflowParty.System;

    /// <summary>The state a newly created request starts in (the Create action, by the clinic).</summary>
    public const ReadRequestStatus Initial = ReadRequestStatus.Requested;

    /// <summary>Who may create a request.</summary>
    public const WorkflowParty CreateParties = Clinic;

    private static readonly ReadRequestStatus R = ReadRequestStatus.Requested, A = ReadRequestStatus.Assigned,
        IR = ReadRequestStatus.InReading, P = ReadRequestStatus.Preliminary, S = ReadRequestStatus.Signed,
        D = ReadRequestStatus.Delivered, RT = ReadRequestStatus.Returned, C = ReadRequestStatus.Cancelled,
        AM = ReadRequestStatus.Amended;

    /// <summary>Every legal transition (state × action → state, by whom).</summary>
    public static IReadOnlyList<ReadRequestTransition> All { get; } =
    [
        // Assignment: the router (system) or the supervisor assigns; a reader claims from the pool; reassigning keeps the draft.
        new(R, ReadRequestAction.Assign, A, Admin | System),
        new(A, ReadRequestAction.Assign, A, Admin),
        new(IR, ReadRequestAction.Assign, IR, Admin),
        new(R, ReadRequestAction.Claim, A, Reader),
        new(A, ReadRequestAction.Release, R, Assignee | Admin),
        new(IR, ReadRequestAction.Release, R, Assignee | Admin),

        // Reporting by the assignee.
        new(A, ReadRequestAction.StartReading, IR, Assignee),
        new(IR, ReadRequestAction.SaveDraft, IR, Assignee),
        new(P, ReadRequestAction.SaveDraft, P, Assignee),
        new(AM, ReadRequestAction.SaveDraft, AM, Assignee),
        new(IR, ReadRequestAction.SavePreliminary, P, Assignee),
        new(P, ReadRequestAction.SavePreliminary, P, Assignee),
        new(IR, ReadRequestAction.Sign, S, Assignee),
        new(P, ReadRequestAction.Sign, S, Assignee),
        new(AM, ReadRequestAction.Sign, S, Assignee),
        new(S, ReadRequestAction.Deliver, D, System),

        // Back to the clinic, and again from it.
        new(R, ReadRequestAction.Return, RT, Reader | Admin),
        new(A, ReadRequestAction.Return, RT, Reader | Admin),
        new(IR, ReadRequestAction.Return, RT, Reader | Admin),
        new(RT, ReadRequestAction.Resubmit, R, Clinic),

        // Withdrawal: by the clinic or the supervisor, as long as no report is final.
        new(R, ReadRequestAction.Cancel, C, Clinic | Admin),
        new(A, ReadRequestAction.Cancel, C, Clinic | Admin),
        new(IR, ReadRequestAction.Cancel, C, Clinic | Admin),
        new(P, ReadRequestAction.Cancel, C, Clinic | Admin),
        new(RT, ReadRequestAction.Cancel, C, Clinic | Admin),

        // Amendment of a final report: a new draft version, signed again (then delivered again).
        new(S, ReadRequestAction.Amend, AM, Reader),
        new(D, ReadRequestAction.Amend, AM, Reader),

        // A critical finding of the signed report, acknowledged by the clinic (no change of state).
        new(S, ReadRequestAction.AcknowledgeCritical, S, Clinic),
        new(D, ReadRequestAction.AcknowledgeCritical, D, Clinic),
        new(AM, ReadRequestAction.AcknowledgeCritical, AM, Clinic),
    ];

    private static readonly FrozenDictionary<(ReadRequestStatus, ReadRequestAction), ReadRequestTransition> Table =
        All.ToFrozenDictionary(t => (t.From, t.Action));

    /// <summary>Who may ever take <paramref name="action"/> (in some state).</summary>
    public static WorkflowParty PartiesFor(ReadRequestAction action) =>
        action == ReadRequestAction.Create ? CreateParties
            : All.Where(t => t.Action == action).Aggregate(WorkflowParty.None, (acc, t) => acc | t.AllowedParties);

    /// <summary>The transition of <paramref name="action"/> from <paramref name="from"/>, or null when there is none.</summary>
    public static ReadRequestTransition? Find(ReadRequestStatus from, ReadRequestAction action) =>
        Table.TryGetValue((from, action), out var t) ? t : null;

    /// <summary>
    /// Checks that <paramref name="actor"/> may take <paramref name="action"/> on a request in <paramref name="from"/>
    /// assigned to <paramref name="assignee"/>, and returns the transition. The role is checked before the state (a
    /// clinic user never signs: 403), the state before the assignment (a reader signing an unclaimed request is told to
    /// claim it first: 409), and the assignment last (a reader signing a colleague's request: 403).
    /// </summary>
    public static ReadRequestTransition Check(ReadRequestStatus from, ReadRequestAction action, WorkflowActor actor, string? assignee)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var parties = actor.Parties & ~WorkflowParty.Assignee;
        var isAssignee = assignee is not null && string.Equals(assignee, actor.Name, StringComparison.Ordinal);
        if (isAssignee) parties |= WorkflowParty.Assignee;

        // A reader may become the assignee, so "Assignee" counts as possible for readers in the role check.
        var possible = parties | ((parties & WorkflowParty.Reader) != 0 ? WorkflowParty.Assignee : WorkflowParty.None);
        var everAllowed = PartiesFor(action);
        if ((everAllowed & possible) == 0)
        {
            throw new WorkflowException(WorkflowRefusal.NotPermitted,
                $"only {Describe(everAllowed)} may {Verb(action)} a read request");
        }
        var transition = Find(from, action)
            ?? throw new WorkflowException(WorkflowRefusal.IllegalTransition, IllegalMessage(from, action));
        if ((transition.AllowedParties & parties) == 0)
        {
            var why = (transition.AllowedParties & WorkflowParty.Assignee) != 0 && assignee is not null && (parties & WorkflowParty.Reader) != 0
                ? $"it is assigned to '{assignee}', not to you"
                : $"only {Describe(transition.AllowedParties)} may do that now";
            throw new WorkflowException(WorkflowRefusal.NotPermitted, $"cannot {Verb(action)} this read request: {why}");
        }
        return transition;
    }

    /// <summary>The wire name of a state ("inReading").</summary>
    public static string WireName(ReadRequestStatus status) => CamelCase(status.ToString());

    public static string WireName(ReadPriority priority) => CamelCase(priority.ToString());

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    internal static string Verb(ReadRequestAction action) => action switch
    {
        ReadRequestAction.Create => "create",
        ReadRequestAction.Assign => "assign",
        ReadRequestAction.Claim => "claim",
        ReadRequestAction.Release => "release",
        ReadRequestAction.StartReading => "start reading",
        ReadRequestAction.SaveDraft => "save a draft report for",
        ReadRequestAction.SavePreliminary => "issue a preliminary report for",
        ReadRequestAction.Sign => "sign",
        ReadRequestAction.Deliver => "deliver",
        ReadRequestAction.Return => "return",
        ReadRequestAction.Resubmit => "resubmit",
        ReadRequestAction.Cancel => "cancel",
        ReadRequestAction.Amend => "amend",
        ReadRequestAction.AcknowledgeCritical => "acknowledge the critical finding of",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static string IllegalMessage(ReadRequestStatus from, ReadRequestAction action)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"cannot {Verb(action)} a read request that is '{WireName(from)}'");
        return Hint(from, action) is { } hint ? $"{head}; {hint}" : head;
    }

    /// <summary>What would make the refused action possible, when something would.</summary>
    private static string? Hint(ReadRequestStatus from, ReadRequestAction action) => (from, action) switch
    {
        (ReadRequestStatus.Cancelled, _) => "it was cancelled",
        (ReadRequestStatus.Returned, ReadRequestAction.Cancel or ReadRequestAction.Resubmit) => null,
        (ReadRequestStatus.Returned, _) => "it was returned to the clinic; the clinic may resubmit it",
        (ReadRequestStatus.Requested, ReadRequestAction.Sign or ReadRequestAction.SaveDraft or ReadRequestAction.StartReading
            or ReadRequestAction.SavePreliminary or ReadRequestAction.Release) => "claim it first",
        (ReadRequestStatus.Assigned, ReadRequestAction.Sign or ReadRequestAction.SavePreliminary) => "save a report first",
        (ReadRequestStatus.Assigned or ReadRequestStatus.InReading or ReadRequestStatus.Preliminary or ReadRequestStatus.Amended, ReadRequestAction.Claim)
            => "it is already assigned; ask the centre's administrator to reassign it",
        (ReadRequestStatus.Signed or ReadRequestStatus.Delivered, ReadRequestAction.SaveDraft or ReadRequestAction.Sign
            or ReadRequestAction.SavePreliminary or ReadRequestAction.StartReading) => "the report is signed; amend it to change it",
        (ReadRequestStatus.Signed or ReadRequestStatus.Delivered or ReadRequestStatus.Amended, _) => "its report is signed",
        (_, ReadRequestAction.Amend) => "only a signed report can be amended",
        (_, ReadRequestAction.AcknowledgeCritical) => "there is no signed report yet",
        (_, ReadRequestAction.Deliver) => "only a signed report is delivered",
        (_, ReadRequestAction.Resubmit) => "only a returned request can be resubmitted",
        _ => null,
    };

    private static string Describe(WorkflowParty parties)
    {
        var names = new List<string>();
        if ((parties & WorkflowParty.Clinic) != 0) names.Add("the requesting clinic");
        if ((parties & WorkflowParty.Reader) != 0) names.Add("the centre's readers");
        else if ((parties & WorkflowParty.Assignee) != 0) names.Add("the assigned reader");
        if ((parties & WorkflowParty.CentreAdmin) != 0) names.Add("the centre's administrator");
        if ((parties & WorkflowParty.System) != 0 && names.Count == 0) names.Add("the server");
        return names.Count switch
        {
            0 => "nobody",
            1 => names[0],
            _ => string.Join(", ", names[..^1]) + " or " + names[^1],
        };
    }
}
