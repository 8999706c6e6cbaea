namespace RadBridge.Archive.Audit;

/// <summary>What was done to patient data (or to accounts), for the audit log.</summary>
public static class AuditActions
{
    public const string Store = "store";
    public const string Query = "query";
    public const string Retrieve = "retrieve";
    public const string Delete = "delete";
    public const string Share = "share";
    public const string Login = "login";
    public const string Administer = "administer";

    /// <summary>An action on a read request (create, claim, sign…; the detail names it and the request).</summary>
    public const string ReadRequest = "read-request";
}

/// <summary>
/// One audited access: who (user or AE), of which organisation, did what, to which study/series/instance, when, from
/// where, through which channel, with what outcome.
/// </summary>
public sealed record AuditEvent
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
    public required string Actor { get; init; }
    public int? OrganizationId { get; init; }
    public string? OrganizationName { get; init; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; init; }

    /// <summary>"DICOMweb", "DIMSE", "API", "CLI".</summary>
    public required string Channel { get; init; }
    public string? RemoteAddress { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }

    /// <summary>"success", or "failure" with <see cref="Detail"/> saying why.</summary>
    public required string Outcome { get; init; }

    /// <summary>What exactly: the query, the endpoint, the number of instances, the failure reason.</summary>
    public string? Detail { get; init; }

    public static AuditEvent Success(string actor, string action, string channel) => new() { Actor = actor, Action = action, Channel = channel, Outcome = "success" };
}

/// <summary>Where audit events go. Implementations must not lose an event once <see cref="RecordAsync"/> completed.</summary>
public interface IAuditSink
{
    /// <summary>Appends the event and completes once it is durable.</summary>
    ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken ct = default);

    /// <summary>
    /// Appends the event and completes once it is written, not yet flushed: for a caller that makes the audit log's file
    /// system durable itself right after (the ingest's <see cref="Storage.DurabilityBarrier"/>), so a stored instance
    /// and its audit record reach the disk in the same flush. A sink without such a distinction flushes anyway.
    /// </summary>
    ValueTask RecordBeforeBarrierAsync(AuditEvent auditEvent, CancellationToken ct = default) => RecordAsync(auditEvent, ct);
}
