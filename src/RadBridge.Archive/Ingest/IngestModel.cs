namespace RadBridge.Archive.Ingest;

/// <summary>Who is storing and through which door.</summary>
/// <param name="OrganizationId">The organisation the instance goes into (its study's owner).</param>
/// <param name="RemoteAddress">The peer's address, for the audit log.</param>
/// <param name="Actor">A user name, or <c>AE:&lt;title&gt;</c> for DIMSE.</param>
/// <param name="Channel">"DIMSE", "STOW", "CLI", …: for the audit log.</param>
public sealed record IngestSource(int OrganizationId, string Actor, string Channel, string? RemoteAddress);

public enum IngestOutcome
{
    /// <summary>New instance, stored and indexed.</summary>
    Stored,

    /// <summary>The same SOP Instance UID with the same data set was already stored: success, no second copy.</summary>
    AlreadyStored,

    /// <summary>The same SOP Instance UID with a different data set replaced the stored one (policy <see cref="DuplicatePolicy.KeepNewest"/>).</summary>
    Replaced,

    /// <summary>The same SOP Instance UID with a different data set was refused (policy <see cref="DuplicatePolicy.Reject"/>).</summary>
    Conflict,

    /// <summary>The study belongs to another organisation: a sender may not add to it.</summary>
    Forbidden,

    /// <summary>The file cannot be archived (unreadable, or identifying UIDs missing or malformed).</summary>
    Invalid,
}

/// <summary>What happens when an instance arrives whose SOP Instance UID is stored with a different data set.</summary>
public enum DuplicatePolicy
{
    /// <summary>Refuse it (C-STORE 0xA900-class failure, STOW 409 with Failure Reason 0x0111); the stored one stays. Default.</summary>
    Reject,

    /// <summary>Replace the stored one; the replaced file is kept in the quarantine directory, never silently deleted.</summary>
    KeepNewest,
}

public sealed record IngestResult(IngestOutcome Outcome, InstanceAttributes? Attributes, string? Problem)
{
    public bool Succeeded => Outcome is IngestOutcome.Stored or IngestOutcome.AlreadyStored or IngestOutcome.Replaced;
    public string? SopInstanceUid => Attributes?.SopInstanceUid;
    public string? SopClassUid => Attributes?.SopClassUid;
}
