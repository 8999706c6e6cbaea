namespace RadBridge.Workflow.Notifications;

/// <summary>What a notification is about (wire names are these strings).</summary>
public static class NotificationKinds
{
    /// <summary>75 % of the SLA time is used, to the centre's readers.</summary>
    public const string SlaWarning = "slaWarning";

    /// <summary>The SLA is breached: escalated to the centre's supervisor (administrator).</summary>
    public const string SlaBreached = "slaBreached";

    /// <summary>A signed report has a critical finding, to the clinic, repeated until acknowledged.</summary>
    public const string CriticalFinding = "criticalFinding";
}

/// <summary>
/// A message to the users of an organisation (optionally only those of one role), kept so that a user who was not
/// connected when it was pushed sees it later.
/// </summary>
public sealed class WorkflowNotification
{
    public long Id { get; set; }
    public required string ReadRequestId { get; set; }

    /// <summary>The organisation whose users are told.</summary>
    public int OrganizationId { get; set; }

    /// <summary>Only users of this role (e.g. "admin" for an escalation); null for all.</summary>
    public string? RecipientRole { get; set; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
