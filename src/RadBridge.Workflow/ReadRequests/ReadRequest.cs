using RadBridge.Workflow.Sla;

namespace RadBridge.Workflow.ReadRequests;

/// <summary>What a clinic asks for when it creates a read request.</summary>
public sealed record ReadRequestDraft(
    ReadPriority Priority,
    string ClinicalQuestion,
    string? Indication = null,
    string? BodyPart = null,
    string? Modality = null,
    string? Subspecialty = null,
    IReadOnlyList<string>? PriorStudyInstanceUids = null);

/// <summary>
/// A clinic's request that the centre read a study: the aggregate whose every change goes through
/// <see cref="ReadRequestTransitions.Check"/>. Report versions are separate rows (<see cref="ReportVersion"/>); the
/// methods that touch the report take the current version and return the one to save.
/// </summary>
public sealed class ReadRequest
{
    public const int MaxTextLength = 4000;
    public const int MaxReasonLength = 1000;

    private ReadRequest()
    {
    }

    public string Id { get; private set; } = "";

    /// <summary>The archive's study row (StudyRecord.Id).</summary>
    public long StudyId { get; private set; }
    public string StudyInstanceUid { get; private set; } = "";
    public int ClinicOrganizationId { get; private set; }
    public int CentreOrganizationId { get; private set; }
    public ReadPriority Priority { get; private set; }
    public string ClinicalQuestion { get; private set; } = "";
    public string? Indication { get; private set; }
    public string? BodyPart { get; private set; }
    public string? Modality { get; private set; }
    public string? Subspecialty { get; private set; }

    /// <summary>Backslash-separated Study Instance UIDs of prior studies the clinic points the reader to.</summary>
    public string PriorStudyInstanceUids { get; private set; } = "";
    public ReadRequestStatus Status { get; private set; }
    public string? Assignee { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the SLA clock started (creation, or the last resubmission).</summary>
    public DateTimeOffset SlaStartedAt { get; private set; }
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>When the clock stopped without a signature (returned or cancelled); null while it runs.</summary>
    public DateTimeOffset? SlaStoppedAt { get; private set; }
    public DateTimeOffset? SlaWarnedAt { get; private set; }
    public DateTimeOffset? SlaEscalatedAt { get; private set; }
    public string? ReturnedReason { get; private set; }
    public string? CancelReason { get; private set; }

    /// <summary>The number of the current report version; 0 before the first draft.</summary>
    public int ReportVersion { get; private set; }
    public DateTimeOffset? FirstSignedAt { get; private set; }
    public DateTimeOffset? SignedAt { get; private set; }
    public string? SignedBy { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public bool CriticalFlagged { get; private set; }
    public DateTimeOffset? CriticalAcknowledgedAt { get; private set; }
    public string? CriticalAcknowledgedBy { get; private set; }
    public DateTimeOffset? CriticalNotifiedAt { get; private set; }
    public int CriticalNotifications { get; private set; }

    /// <summary>Bumped by every change: the optimistic concurrency token (two readers claiming at once: one wins).</summary>
    public int Revision { get; private set; }

    /// <summary>A new request for a study, in <see cref="ReadRequestStatus.Requested"/>, with its SLA deadline.</summary>
    public static ReadRequest Create(WorkflowActor actor, long studyId, string studyInstanceUid, int clinicOrganizationId,
        int centreOrganizationId, ReadRequestDraft draft, SlaPolicy sla, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(sla);
        if ((actor.Parties & ReadRequestTransitions.CreateParties) == 0)
        {
            throw new WorkflowException(WorkflowRefusal.NotPermitted, "only a user of the clinic that owns the study may request its reading");
        }
        if (!Enum.IsDefined(draft.Priority)) throw new WorkflowException(WorkflowRefusal.InvalidInput, $"unknown priority {draft.Priority}");
        var question = Text(draft.ClinicalQuestion, "clinical question", MaxTextLength);
        if (question.Length == 0) throw new WorkflowException(WorkflowRefusal.InvalidInput, "the clinical question is empty");
        var priors = draft.PriorStudyInstanceUids ?? [];
        if (priors.Count > 20) throw new WorkflowException(WorkflowRefusal.InvalidInput, "at most 20 prior studies can be named");
        foreach (var uid in priors)
        {
            if (string.IsNullOrWhiteSpace(uid) || uid.Length > 64 || uid.Any(c => c is not ('.' or (>= '0' and <= '9'))))
            {
                throw new WorkflowException(WorkflowRefusal.InvalidInput, $"'{uid}' is not a Study Instance UID");
            }
        }
        return new ReadRequest
        {
            Id = Guid.NewGuid().ToString("N"),
            StudyId = studyId,
            StudyInstanceUid = studyInstanceUid,
            ClinicOrganizationId = clinicOrganizationId,
            CentreOrganizationId = centreOrganizationId,
            Priority = draft.Priority,
            ClinicalQuestion = question,
            Indication = Optional(draft.Indication, "indication", MaxTextLength),
            BodyPart = Optional(draft.BodyPart, "body part", 64)?.ToUpperInvariant(),
            Modality = Optional(draft.Modality, "modality", 16)?.ToUpperInvariant(),
            Subspecialty = Optional(draft.Subspecialty, "subspecialty", 64)?.ToLowerInvariant(),
            PriorStudyInstanceUids = string.Join('\\', priors),
            Status = ReadRequestTransitions.Initial,
            CreatedBy = actor.Name,
            CreatedAt = now,
            UpdatedAt = now,
            SlaStartedAt = now,
            DueAt = now + sla.AllowedTime(draft.Priority),
        };
    }

    public IReadOnlyList<string> PriorStudies => PriorStudyInstanceUids.Length == 0 ? [] : PriorStudyInstanceUids.Split('\\');

    /// <summary>Whether the request still waits for a signed report (the worklist's "open").</summary>
    public bool IsOpen => Status is ReadRequestStatus.Requested or ReadRequestStatus.Assigned or ReadRequestStatus.InReading
        or ReadRequestStatus.Preliminary or ReadRequestStatus.Amended;

    /// <summary>The states in which a request counts towards its reader's load.</summary>
    public static IReadOnlyList<ReadRequestStatus> LoadStates { get; } =
        [ReadRequestStatus.Assigned, ReadRequestStatus.InReading, ReadRequestStatus.Preliminary, ReadRequestStatus.Amended];

    /// <summary>Assigns the request to <paramref name="reader"/> (the router or the supervisor; the caller checked it is a reader of the centre).</summary>
    public void Assign(WorkflowActor actor, string reader, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reader)) throw new WorkflowException(WorkflowRefusal.InvalidInput, "no reader named to assign the request to");
        Apply(actor, ReadRequestAction.Assign, now);
        Assignee = reader;
        AssignedAt = now;
    }

    public void Claim(WorkflowActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Apply(actor, ReadRequestAction.Claim, now);
        Assignee = actor.Name;
        AssignedAt = now;
    }

    /// <summary>Back to the pool; a draft already written stays with the request for the next reader.</summary>
    public void Release(WorkflowActor actor, DateTimeOffset now)
    {
        Apply(actor, ReadRequestAction.Release, now);
        Assignee = null;
        AssignedAt = null;
    }

    /// <summary>
    /// Autosave: the first save of the assignee starts the reading (version 1); later saves overwrite the current version
    /// while it is a draft or preliminary. Returns the version to save.
    /// </summary>
    public ReportVersion SaveDraft(WorkflowActor actor, ReportContent content, ReportVersion? current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        var action = Status == ReadRequestStatus.Assigned ? ReadRequestAction.StartReading : ReadRequestAction.SaveDraft;
        Apply(actor, action, now);
        if (current is not null)
        {
            RequireCurrent(current);
            // The states that allow a draft save never hold a final version (Amend starts a new one): a guard, not a path.
            if (current.Status == ReportStatus.Final)
            {
                throw new WorkflowException(WorkflowRefusal.IllegalTransition, "the report is signed; amend it to change it");
            }
        }
        var version = current ?? NewFirstVersion(actor, now);
        version.Overwrite(content, now);
        return version;
    }

    /// <summary>Makes the current draft visible to the clinic as a preliminary report.</summary>
    public void SavePreliminary(WorkflowActor actor, ReportVersion? current, DateTimeOffset now)
    {
        var t = ReadRequestTransitions.Check(Status, ReadRequestAction.SavePreliminary, actor, Assignee);
        var version = RequireWrittenReport(current, ReadRequestAction.SavePreliminary);
        Commit(t, now);
        version.Status = ReportStatus.Preliminary;
    }

    /// <summary>Signs the current version (the caller re-authenticated the signer): final, and the critical flag taken from it.</summary>
    public void Sign(WorkflowActor actor, ReportVersion? current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var t = ReadRequestTransitions.Check(Status, ReadRequestAction.Sign, actor, Assignee);
        var version = RequireWrittenReport(current, ReadRequestAction.Sign);
        Commit(t, now);
        version.Status = ReportStatus.Final;
        version.SignedBy = actor.Name;
        version.SignedAt = now;
        SignedBy = actor.Name;
        SignedAt = now;
        FirstSignedAt ??= now;
        DeliveredAt = null;
        if (version.Critical)
        {
            // A critical finding (new, or kept by an amendment) is to be acknowledged again for this version.
            CriticalFlagged = true;
            CriticalAcknowledgedAt = null;
            CriticalAcknowledgedBy = null;
            CriticalNotifiedAt = null;
            CriticalNotifications = 0;
        }
        else
        {
            CriticalFlagged = false;
        }
    }

    /// <summary>The report's documents are stored in the study: the clinic has it.</summary>
    public void Deliver(WorkflowActor actor, DateTimeOffset now)
    {
        Apply(actor, ReadRequestAction.Deliver, now);
        DeliveredAt = now;
    }

    public void Return(WorkflowActor actor, string reason, DateTimeOffset now)
    {
        var text = Reason(reason, "return");
        Apply(actor, ReadRequestAction.Return, now);
        ReturnedReason = text;
        SlaStoppedAt = now;
        Assignee = null;
        AssignedAt = null;
    }

    /// <summary>The clinic sends a returned request again: back in the pool with a fresh SLA clock.</summary>
    public void Resubmit(WorkflowActor actor, SlaPolicy sla, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sla);
        Apply(actor, ReadRequestAction.Resubmit, now);
        SlaStartedAt = now;
        DueAt = now + sla.AllowedTime(Priority);
        SlaStoppedAt = null;
        SlaWarnedAt = null;
        SlaEscalatedAt = null;
    }

    public void Cancel(WorkflowActor actor, string reason, DateTimeOffset now)
    {
        var text = Reason(reason, "cancel");
        Apply(actor, ReadRequestAction.Cancel, now);
        CancelReason = text;
        SlaStoppedAt ??= now;
    }

    /// <summary>Starts version n+1 of a signed report from its text, with the reason; the amending reader becomes the assignee.</summary>
    public ReportVersion Amend(WorkflowActor actor, string reason, ReportVersion? current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var text = Reason(reason, "amend");
        Apply(actor, ReadRequestAction.Amend, now);
        var signed = current ?? throw new WorkflowException(WorkflowRefusal.InvalidInput, "the signed report version is missing");
        RequireCurrent(signed);
        var next = signed.NextVersion(actor.Name, text, now);
        ReportVersion = next.Version;
        Assignee = actor.Name;
        AssignedAt = now;
        return next;
    }

    public void AcknowledgeCritical(WorkflowActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CriticalFlagged)
        {
            throw new WorkflowException(WorkflowRefusal.IllegalTransition, "this read request's report has no critical finding to acknowledge");
        }
        if (CriticalAcknowledgedAt is not null)
        {
            throw new WorkflowException(WorkflowRefusal.IllegalTransition,
                $"the critical finding was acknowledged already by '{CriticalAcknowledgedBy}'");
        }
        Apply(actor, ReadRequestAction.AcknowledgeCritical, now);
        CriticalAcknowledgedAt = now;
        CriticalAcknowledgedBy = actor.Name;
    }

    /// <summary>Whether the clinic is to be told (again) of an unacknowledged critical finding.</summary>
    public bool CriticalNotificationDue(TimeSpan interval, DateTimeOffset now) =>
        CriticalFlagged && CriticalAcknowledgedAt is null && Status is ReadRequestStatus.Signed or ReadRequestStatus.Delivered or ReadRequestStatus.Amended
        && (CriticalNotifiedAt is not { } last || now - last >= interval);

    // The monitor's bookkeeping below does not bump the revision: a reader's claim or save must not fail because a
    // notice was sent meanwhile. The monitor's own update still carries the revision it read, so it is the one that
    // yields (and retries next round) when a user changed the request first.

    public void MarkCriticalNotified(DateTimeOffset now)
    {
        CriticalNotifiedAt = now;
        CriticalNotifications++;
    }

    public void MarkSlaWarned(DateTimeOffset now) => SlaWarnedAt = now;

    public void MarkSlaEscalated(DateTimeOffset now) => SlaEscalatedAt = now;

    private ReadRequestTransition Apply(WorkflowActor actor, ReadRequestAction action, DateTimeOffset now)
    {
        var t = ReadRequestTransitions.Check(Status, action, actor, Assignee);
        Commit(t, now);
        return t;
    }

    private void Commit(ReadRequestTransition t, DateTimeOffset now)
    {
        Status = t.To;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }

    private ReportVersion NewFirstVersion(WorkflowActor actor, DateTimeOffset now)
    {
        ReportVersion = 1;
        return new ReportVersion(Id, 1, actor.Name, now);
    }

    private void RequireCurrent(ReportVersion version)
    {
        if (version.ReadRequestId != Id || version.Version != ReportVersion)
        {
            throw new WorkflowException(WorkflowRefusal.Conflict,
                $"report version {version.Version} is not the current version ({ReportVersion}) of this read request");
        }
    }

    private ReportVersion RequireWrittenReport(ReportVersion? current, ReadRequestAction action)
    {
        if (current is null)
        {
            throw new WorkflowException(WorkflowRefusal.IllegalTransition, $"cannot {ReadRequestTransitions.Verb(action)} a read request without a report; save a report first");
        }
        RequireCurrent(current);
        if (string.IsNullOrWhiteSpace(current.Findings) && string.IsNullOrWhiteSpace(current.Impression))
        {
            throw new WorkflowException(WorkflowRefusal.InvalidInput, $"cannot {ReadRequestTransitions.Verb(action)} an empty report; write the findings or the impression first");
        }
        return current;
    }

    private static string Reason(string? reason, string what)
    {
        var text = Text(reason, "reason", MaxReasonLength);
        return text.Length == 0 ? throw new WorkflowException(WorkflowRefusal.InvalidInput, $"a reason is required to {what} a read request") : text;
    }

    private static string Text(string? value, string what, int max)
    {
        var text = value?.Trim() ?? "";
        return text.Length > max ? throw new WorkflowException(WorkflowRefusal.InvalidInput, $"the {what} is longer than {max} characters") : text;
    }

    private static string? Optional(string? value, string what, int max) => Text(value, what, max) is { Length: > 0 } t ? t : null;
}
