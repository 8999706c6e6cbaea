namespace RadBridge.Workflow.ReadRequests;

/// <summary>Where a read request is in its life (the wire names are the camel-cased member names).</summary>
public enum ReadRequestStatus
{
    /// <summary>Created by the clinic, waiting in the centre's pool.</summary>
    Requested,

    /// <summary>Claimed by or assigned to a reader, no report yet.</summary>
    Assigned,

    /// <summary>The reader has saved a first draft.</summary>
    InReading,

    /// <summary>A preliminary report is visible to the clinic; the final one is still to come.</summary>
    Preliminary,

    /// <summary>The report is signed (final); its documents are being stored back into the study.</summary>
    Signed,

    /// <summary>The signed report's documents are stored and the clinic can see them.</summary>
    Delivered,

    /// <summary>Sent back to the clinic without a report (e.g. poor image quality, a missing series).</summary>
    Returned,

    /// <summary>Withdrawn; nothing more happens to it.</summary>
    Cancelled,

    /// <summary>A signed report is being amended: a new draft version with a reason, to be signed again.</summary>
    Amended,
}

public enum ReadPriority
{
    Routine,
    Urgent,
    Stat,
}

/// <summary>The things that can happen to a read request: the columns of <see cref="ReadRequestTransitions"/>.</summary>
public enum ReadRequestAction
{
    Create,
    Assign,
    Claim,
    Release,

    /// <summary>The first draft save of the assigned reader.</summary>
    StartReading,

    /// <summary>Later draft saves (autosave).</summary>
    SaveDraft,
    SavePreliminary,
    Sign,

    /// <summary>The system, once the signed report's documents are stored in the study.</summary>
    Deliver,
    Return,

    /// <summary>The clinic sends a returned request again (after fixing what was asked).</summary>
    Resubmit,
    Cancel,
    Amend,
    AcknowledgeCritical,
}

/// <summary>Who acts on a read request, relative to it (the service derives it from the user's organisation and role).</summary>
[Flags]
public enum WorkflowParty
{
    None = 0,

    /// <summary>A user of the clinic that asked for the reading.</summary>
    Clinic = 1,

    /// <summary>A reader (radiologist, expert) of the centre the request is routed to.</summary>
    Reader = 2,

    /// <summary>The reader the request is assigned to (derived by the aggregate from the user name, never given).</summary>
    Assignee = 4,

    /// <summary>The centre's administrator (the supervisor): assigns, cancels, receives escalations.</summary>
    CentreAdmin = 8,

    /// <summary>The server itself: routing, delivery after storing the report.</summary>
    System = 16,
}

/// <summary>The acting user (or the system) and the parties they belong to for the request at hand.</summary>
public sealed record WorkflowActor(string Name, WorkflowParty Parties)
{
    public static WorkflowActor SystemActor { get; } = new("system", WorkflowParty.System);
}
