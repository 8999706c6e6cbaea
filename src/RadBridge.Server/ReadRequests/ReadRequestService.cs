using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Hubs;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Routing;

namespace RadBridge.Server.ReadRequests;

/// <summary>
/// The read requests' application service: loads a request the caller may see (tenant filter in the query), lets the
/// aggregate decide (transition table), saves with the optimistic concurrency token, audits every action — refused ones
/// too — and pushes the new state to the worklist hub.
/// </summary>
internal sealed partial class ReadRequestService(
    IDbContextFactory<ArchiveDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    IAuditSink audit,
    IWorklistBroadcaster broadcaster,
    ILogger<ReadRequestService> log)
{
    // Series of these modalities hold documents or presentation states, not the images a request is about.
    private static readonly string[] NonImageModalities = ["SR", "PR", "KO", "DOC", "SEG", "REG", "RWV", "OT"];

    private WorkflowOptions Options => options.Value;

    public async Task<ReadRequestView> CreateAsync(ArchiveCaller caller, CreateReadRequestBody body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(body);
        var uid = body.StudyInstanceUid?.Trim() ?? "";
        if (uid.Length == 0) throw new WorkflowException(WorkflowRefusal.InvalidInput, "studyInstanceUid is required");
        if (!WireNames.TryParse<ReadPriority>(body.Priority, out var priority))
        {
            throw new WorkflowException(WorkflowRefusal.InvalidInput, $"priority '{body.Priority}' is not one of routine, urgent, stat");
        }
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        // Visible and owned: a clinic asks for the reading of its own studies only (a shared one is another clinic's).
        var study = await db.VisibleStudies(caller).Where(s => s.StudyInstanceUid == uid)
            .Select(s => new { s.Id, s.OrganizationId, s.ModalitiesInStudy }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (study is null || study.OrganizationId != caller.OrganizationId)
        {
            await AuditAsync(caller, uid, null, "create", "failure", "study not found", ct).ConfigureAwait(false);
            throw new WorkflowException(WorkflowRefusal.NotFound, $"study '{uid}' not found");
        }
        var centre = await db.Organizations.Where(o => o.IsCentre).OrderBy(o => o.Id).Select(o => (int?)o.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new WorkflowException(WorkflowRefusal.Conflict, "the partnership has no centre organisation to read the study (radbridge admin org add --centre)");
        var modality = body.Modality ?? (study.ModalitiesInStudy ?? "").Split('\\', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(m => !NonImageModalities.Contains(m, StringComparer.Ordinal));
        var bodyPart = body.BodyPart ?? await db.Series.Where(s => s.StudyId == study.Id && s.BodyPartExamined != null)
            .OrderBy(s => s.SeriesNumber).Select(s => s.BodyPartExamined).FirstOrDefaultAsync(ct).ConfigureAwait(false);

        var actor = new WorkflowActor(caller.Name, ReadRequestParties.For(caller, caller.OrganizationId, centre));
        ReadRequest request;
        try
        {
            request = ReadRequest.Create(actor, study.Id, uid, caller.OrganizationId, centre,
                new ReadRequestDraft(priority, body.ClinicalQuestion ?? "", body.Indication, bodyPart, modality, body.Subspecialty, body.PriorStudyInstanceUids),
                Options.Sla, now);
        }
        catch (WorkflowException ex)
        {
            await AuditAsync(caller, uid, null, "create", "failure", ex.Message, ct).ConfigureAwait(false);
            throw;
        }
        var routing = await RouteAsync(db, request, ct).ConfigureAwait(false);
        if (routing.Assignee is { } reader) request.Assign(WorkflowActor.SystemActor, reader, now);
        db.ReadRequests.Add(request);
        // The centre's readers must see the images: the same share an administrator would make.
        var shared = centre != caller.OrganizationId
            && !await db.StudyShares.AnyAsync(s => s.StudyId == study.Id && s.OrganizationId == centre, ct).ConfigureAwait(false);
        if (shared)
        {
            db.StudyShares.Add(new StudyShare { StudyId = study.Id, OrganizationId = centre, SharedAt = now, SharedBy = caller.Name });
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        if (shared)
        {
            await audit.RecordAsync(new AuditEvent
            {
                Actor = caller.Name, OrganizationId = caller.OrganizationId, Action = AuditActions.Share, Channel = caller.Channel,
                RemoteAddress = caller.RemoteAddress, StudyInstanceUid = uid, Outcome = "success",
                Detail = $"shared with the centre for read request {request.Id}",
            }, ct).ConfigureAwait(false);
        }
        await AuditAsync(caller, uid, request.Id, "create", "success", $"{WireNames.Of(priority)}; {routing.Explanation}", ct).ConfigureAwait(false);
        LogCreated(request.Id, priority, routing.Explanation);
        return await PublishAsync(db, caller, request.Id, ct).ConfigureAwait(false);
    }

    public async Task<ReadRequestView> GetAsync(ArchiveCaller caller, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await ViewAsync(db, caller, id, ct).ConfigureAwait(false) ?? throw NotFound(id);
    }

    public async Task<ReadRequestList> ListAsync(ArchiveCaller caller, ReadRequestQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > ReadRequestQuery.MaxLimit) throw new WorkflowException(WorkflowRefusal.InvalidInput, $"limit must be 1–{ReadRequestQuery.MaxLimit}");
        if (query.Offset < 0) throw new WorkflowException(WorkflowRefusal.InvalidInput, "offset must not be negative");
        var statuses = Parse<ReadRequestStatus>(query.Statuses, "status");
        var priorities = Parse<ReadPriority>(query.Priorities, "priority");
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var requests = db.VisibleReadRequests(caller);
        if (statuses.Count > 0) requests = requests.Where(r => statuses.Contains(r.Status));
        if (priorities.Count > 0) requests = requests.Where(r => priorities.Contains(r.Priority));
        if (query.Modality is { Length: > 0 } modality)
        {
            var m = modality.ToUpperInvariant();
            requests = requests.Where(r => r.Modality == m);
        }
        if (query.Clinic is { } clinic) requests = requests.Where(r => r.ClinicOrganizationId == clinic);
        if (query.Mine)
        {
            var me = caller.Name;
            requests = requests.Where(r => r.Assignee == me);
        }
        var total = await requests.CountAsync(ct).ConfigureAwait(false);
        requests = (query.Sort ?? "sla") switch
        {
            "sla" => requests.OrderBy(r => r.DueAt).ThenBy(r => r.Id),
            "priority" => requests.OrderBy(r => r.Priority == ReadPriority.Stat ? 0 : r.Priority == ReadPriority.Urgent ? 1 : 2).ThenBy(r => r.DueAt).ThenBy(r => r.Id),
            "created" => requests.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id),
            var other => throw new WorkflowException(WorkflowRefusal.InvalidInput, $"sort '{other}' is not one of sla, priority, created"),
        };
        var rows = await Rows(db, requests.Skip(query.Offset).Take(query.Limit)).ToListAsync(ct).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var redact = ReadRequestParties.Redacted(caller);
        // The page is ordered in the database; the join keeps that order only by accident, so it is restored here.
        var order = await requests.Skip(query.Offset).Take(query.Limit).Select(r => r.Id).ToListAsync(ct).ConfigureAwait(false);
        var byId = rows.ToDictionary(r => r.Request.Id, StringComparer.Ordinal);
        var items = order.Where(byId.ContainsKey).Select(id => ToView(byId[id], now, redact)).ToList();
        return new ReadRequestList(items, total);
    }

    public Task<ReadRequestView> ClaimAsync(ArchiveCaller caller, string id, CancellationToken ct) =>
        MutateAsync(caller, id, "claim", false, (r, _, actor, _, now) =>
        {
            r.Claim(actor, now);
            return Task.FromResult<ReportVersion?>(null);
        }, ct);

    public Task<ReadRequestView> ReleaseAsync(ArchiveCaller caller, string id, CancellationToken ct) =>
        MutateAsync(caller, id, "release", false, (r, _, actor, _, now) =>
        {
            r.Release(actor, now);
            return Task.FromResult<ReportVersion?>(null);
        }, ct);

    public Task<ReadRequestView> AssignAsync(ArchiveCaller caller, string id, string? user, CancellationToken ct) =>
        MutateAsync(caller, id, $"assign to '{user}'", false, async (r, _, actor, db, now) =>
        {
            var name = user?.Trim() ?? "";
            var isReader = await db.Users.AnyAsync(u => u.UserName == name && u.OrganizationId == r.CentreOrganizationId
                && (u.Role == ArchiveRoles.Radiologist || u.Role == ArchiveRoles.Expert), ct).ConfigureAwait(false);
            if (!isReader) throw new WorkflowException(WorkflowRefusal.InvalidInput, $"'{name}' is not a reader (radiologist or expert) of the centre");
            r.Assign(actor, name, now);
            return null;
        }, ct);

    public Task<ReadRequestView> ReturnAsync(ArchiveCaller caller, string id, string? reason, CancellationToken ct) =>
        MutateAsync(caller, id, "return", false, (r, _, actor, _, now) =>
        {
            r.Return(actor, reason ?? "", now);
            return Task.FromResult<ReportVersion?>(null);
        }, ct);

    public Task<ReadRequestView> ResubmitAsync(ArchiveCaller caller, string id, CancellationToken ct) =>
        MutateAsync(caller, id, "resubmit", false, (r, _, actor, _, now) =>
        {
            r.Resubmit(actor, Options.Sla, now);
            return Task.FromResult<ReportVersion?>(null);
        }, ct);

    public Task<ReadRequestView> CancelAsync(ArchiveCaller caller, string id, string? reason, CancellationToken ct) =>
        MutateAsync(caller, id, "cancel", false, (r, _, actor, _, now) =>
        {
            r.Cancel(actor, reason ?? "", now);
            return Task.FromResult<ReportVersion?>(null);
        }, ct);

    public Task<ReadRequestView> AmendAsync(ArchiveCaller caller, string id, string? reason, CancellationToken ct) =>
        MutateAsync(caller, id, "amend", true, (r, current, actor, _, now) => Task.FromResult<ReportVersion?>(r.Amend(actor, reason ?? "", current, now)), ct);

    public Task<ReadRequestView> AcknowledgeCriticalAsync(ArchiveCaller caller, string id, CancellationToken ct) =>
        MutateAsync(caller, id, "acknowledge critical finding", false, (r, _, actor, _, now) =>
        {
            r.AcknowledgeCritical(actor, now);
            return Task.FromResult<ReportVersion?>(null);
        }, ct);

    public Task<ReadRequestView> SavePreliminaryAsync(ArchiveCaller caller, string id, CancellationToken ct) =>
        MutateAsync(caller, id, "preliminary", true, (r, current, actor, _, now) =>
        {
            r.SavePreliminary(actor, current, now);
            return Task.FromResult(current);
        }, ct);

    /// <summary>Signs the current report version; the caller has re-authenticated the signer's password.</summary>
    public Task<ReadRequestView> SignAsync(ArchiveCaller caller, string id, CancellationToken ct) =>
        MutateAsync(caller, id, "sign", true, (r, current, actor, _, now) =>
        {
            r.Sign(actor, current, now);
            return Task.FromResult(current);
        }, ct);

    /// <summary>Records a refused signature (wrong password) against the request, for the audit trail.</summary>
    public async Task AuditRefusedSignatureAsync(ArchiveCaller caller, string id, string why, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var uid = await db.VisibleReadRequests(caller).Where(r => r.Id == id).Select(r => r.StudyInstanceUid).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        await AuditAsync(caller, uid, id, "sign", "failure", why, ct).ConfigureAwait(false);
    }

    /// <summary>Whether the caller may see the request (for endpoints that check something else before acting).</summary>
    public async Task RequireVisibleAsync(ArchiveCaller caller, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        if (!await db.VisibleReadRequests(caller).AnyAsync(r => r.Id == id, ct).ConfigureAwait(false)) throw NotFound(id);
    }

    /// <summary>The current report version; the clinic sees it only once it is preliminary or final.</summary>
    public async Task<ReportView> GetReportAsync(ArchiveCaller caller, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var request = await db.VisibleReadRequests(caller).FirstOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false) ?? throw NotFound(id);
        var centreSide = caller.OrganizationId == request.CentreOrganizationId;
        // A clinic reads what was issued to it: the last preliminary or final version, not the reader's working draft.
        var versions = db.ReportVersions.Where(v => v.ReadRequestId == id);
        if (!centreSide) versions = versions.Where(v => v.Status != ReportStatus.Draft);
        var version = await versions.OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new WorkflowException(WorkflowRefusal.NotFound, $"read request '{id}' has no report yet");
        return ReportView.From(version);
    }

    /// <summary>Autosave of the draft: the first save starts the reading (version 1), later ones overwrite it.</summary>
    public async Task<ReportView> SaveReportAsync(ArchiveCaller caller, string id, ReportBody body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ReportVersion? saved = null;
        var content = new ReportContent(body.Findings, body.Impression, body.Language, body.TemplateId, body.StructuredFields, body.Critical ?? false);
        await MutateAsync(caller, id, "save report", true, (r, current, actor, _, now) =>
        {
            saved = r.SaveDraft(actor, content, current, now);
            return Task.FromResult<ReportVersion?>(saved);
        }, ct).ConfigureAwait(false);
        return ReportView.From(saved!);
    }

    /// <summary>
    /// The PDF of the latest signed report, as stored in the study (the Encapsulated PDF's document). Trainees do not get
    /// it: the printed report names the patient.
    /// </summary>
    public async Task<byte[]> ReportPdfAsync(ArchiveCaller caller, string id, InstanceFileStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(store);
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        if (!await db.VisibleReadRequests(caller).AnyAsync(r => r.Id == id, ct).ConfigureAwait(false)) throw NotFound(id);
        if (ReadRequestParties.Redacted(caller))
        {
            throw new WorkflowException(WorkflowRefusal.NotPermitted, "the report PDF identifies the patient; trainees see the report text without it");
        }
        var pdfUid = await db.ReportVersions.Where(v => v.ReadRequestId == id && v.PdfSopInstanceUid != null)
            .OrderByDescending(v => v.Version).Select(v => v.PdfSopInstanceUid).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new WorkflowException(WorkflowRefusal.NotFound, $"read request '{id}' has no signed report stored in its study yet");
        var path = await db.VisibleInstances(caller).Where(i => i.SopInstanceUid == pdfUid).Select(i => i.StoragePath).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new WorkflowException(WorkflowRefusal.NotFound, $"the report document {pdfUid} is no longer in the study");
        var file = await DicomFile.OpenAsync(store.FullPath(path), cancellationToken: ct).ConfigureAwait(false);
        if (file.Dataset[DicomTags.EncapsulatedDocument] is not DicomValueElement document)
        {
            throw new WorkflowException(WorkflowRefusal.NotFound, $"the report document {pdfUid} holds no encapsulated document");
        }
        var bytes = document.Buffer.GetMemory();
        // The value is padded to an even length; Encapsulated Document Length is the PDF's own.
        if (file.Dataset.TryGetValue<uint>(DicomTags.EncapsulatedDocumentLength, 0, out var length) && length <= bytes.Length)
        {
            bytes = bytes[..(int)length];
        }
        return bytes.ToArray();
    }

    private async Task<ReadRequestView> MutateAsync(ArchiveCaller caller, string id, string what, bool withReport,
        Func<ReadRequest, ReportVersion?, WorkflowActor, ArchiveDbContext, DateTimeOffset, Task<ReportVersion?>> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var request = await db.VisibleReadRequests(caller).AsTracking().FirstOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false);
        if (request is null)
        {
            await AuditAsync(caller, null, id, what, "failure", "not found", ct).ConfigureAwait(false);
            throw NotFound(id);
        }
        var current = withReport && request.ReportVersion > 0
            ? await db.ReportVersions.AsTracking().FirstOrDefaultAsync(v => v.ReadRequestId == id && v.Version == request.ReportVersion, ct).ConfigureAwait(false)
            : null;
        try
        {
            var toSave = await change(request, current, ReadRequestParties.Actor(caller, request), db, clock.GetUtcNow()).ConfigureAwait(false);
            if (toSave is not null && db.Entry(toSave).State == EntityState.Detached) db.ReportVersions.Add(toSave);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (WorkflowException ex)
        {
            await AuditAsync(caller, request.StudyInstanceUid, id, what, "failure", ex.Message, ct).ConfigureAwait(false);
            throw;
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is System.Data.Common.DbException)
        {
            // The revision token (or the unique report version) settled a race: someone else changed the request first.
            await AuditAsync(caller, request.StudyInstanceUid, id, what, "failure", "changed concurrently", ct).ConfigureAwait(false);
            throw new WorkflowException(WorkflowRefusal.Conflict, "the read request was changed by someone else at the same time; reload it and try again", ex);
        }
        await AuditAsync(caller, request.StudyInstanceUid, id, what, "success", $"now '{WireNames.Of(request.Status)}'", ct).ConfigureAwait(false);
        return await PublishAsync(db, caller, id, ct).ConfigureAwait(false);
    }

    /// <summary>Chooses a reader by the centre's rules, counting only real readers of the centre and their open requests.</summary>
    private static async Task<RoutingDecision> RouteAsync(ArchiveDbContext db, ReadRequest request, CancellationToken ct)
    {
        var centre = request.CentreOrganizationId;
        var rules = await db.RoutingRules.Where(r => r.CentreOrganizationId == centre).ToListAsync(ct).ConfigureAwait(false);
        if (rules.Count == 0) return ReadRequestRouter.Route(request, rules, []);
        var named = rules.SelectMany(r => r.ReaderNames).Distinct(StringComparer.Ordinal).ToList();
        var readers = await db.Users.Where(u => u.OrganizationId == centre && (u.Role == ArchiveRoles.Radiologist || u.Role == ArchiveRoles.Expert)
                && named.Contains(u.UserName!)).Select(u => u.UserName!).ToListAsync(ct).ConfigureAwait(false);
        var onDuty = await db.ReaderAvailability.Where(a => a.CentreOrganizationId == centre && a.OnDuty && readers.Contains(a.UserName))
            .Select(a => a.UserName).ToListAsync(ct).ConfigureAwait(false);
        var loadStates = ReadRequest.LoadStates.ToList();
        var loads = await db.ReadRequests.Where(r => r.Assignee != null && readers.Contains(r.Assignee) && loadStates.Contains(r.Status))
            .GroupBy(r => r.Assignee!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct).ConfigureAwait(false);
        return ReadRequestRouter.Route(request, rules,
            readers.Select(u => new ReaderLoad(u, onDuty.Contains(u, StringComparer.Ordinal), loads.GetValueOrDefault(u))));
    }

    /// <summary>Pushes the request's current state to the hub (after a change made outside a caller's action).</summary>
    public async Task PushAsync(string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await Rows(db, db.ReadRequests.Where(r => r.Id == id)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (row is not null) await broadcaster.RequestChangedAsync(ToView(row, clock.GetUtcNow(), redact: false), row.Request.ClinicOrganizationId, row.Request.CentreOrganizationId).ConfigureAwait(false);
    }

    /// <summary>The notifications for the caller: their organisation's, and their role's there, newest first.</summary>
    public async Task<IReadOnlyList<NotificationView>> NotificationsAsync(ArchiveCaller caller, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanReadPatientData) return [];
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var role = caller.Role;
        var rows = await db.WorkflowNotifications.Where(n => n.OrganizationId == caller.OrganizationId && (n.RecipientRole == null || n.RecipientRole == role))
            .OrderByDescending(n => n.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct).ConfigureAwait(false);
        return rows.Select(NotificationView.From).ToList();
    }

    /// <summary>Reads the request back as the caller sees it and pushes it to everyone allowed to see it.</summary>
    private async Task<ReadRequestView> PublishAsync(ArchiveDbContext db, ArchiveCaller caller, string id, CancellationToken ct)
    {
        var row = await Rows(db, db.ReadRequests.Where(r => r.Id == id)).FirstAsync(ct).ConfigureAwait(false);
        var full = ToView(row, clock.GetUtcNow(), redact: false);
        try
        {
            await broadcaster.RequestChangedAsync(full, row.Request.ClinicOrganizationId, row.Request.CentreOrganizationId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is committed; a client that missed the push sees it on its next load.
            LogPushFailed(ex, id);
        }
        return ReadRequestParties.Redacted(caller) ? full.Redact() : full;
    }

    private async Task<ReadRequestView?> ViewAsync(ArchiveDbContext db, ArchiveCaller caller, string id, CancellationToken ct)
    {
        var row = await Rows(db, db.VisibleReadRequests(caller).Where(r => r.Id == id)).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return row is null ? null : ToView(row, clock.GetUtcNow(), ReadRequestParties.Redacted(caller));
    }

    internal static IQueryable<ViewRow> Rows(ArchiveDbContext db, IQueryable<ReadRequest> requests) =>
        from r in requests
        join s in db.Studies on r.StudyId equals s.Id
        join clinic in db.Organizations on r.ClinicOrganizationId equals clinic.Id
        join centre in db.Organizations on r.CentreOrganizationId equals centre.Id
        select new ViewRow
        {
            Request = r,
            AccessionNumber = s.AccessionNumber,
            PatientName = s.PatientName,
            PatientId = s.PatientId,
            PatientSex = s.PatientSex,
            PatientBirthDate = s.PatientBirthDate,
            StudyDate = s.StudyDate,
            StudyDescription = s.StudyDescription,
            NumberOfInstances = s.NumberOfInstances,
            ClinicName = clinic.Name,
            CentreName = centre.Name,
        };

    internal ReadRequestView ToView(ViewRow row, DateTimeOffset now, bool redact)
    {
        var r = row.Request;
        var sla = Options.Sla.Evaluate(r, now);
        var view = new ReadRequestView(r.Id, r.StudyInstanceUid, row.AccessionNumber, row.PatientName, row.PatientId, row.PatientSex,
            row.PatientBirthDate, r.Modality, r.BodyPart, r.Subspecialty, row.StudyDate, row.StudyDescription, row.NumberOfInstances,
            new OrganizationRef(r.ClinicOrganizationId, row.ClinicName), new OrganizationRef(r.CentreOrganizationId, row.CentreName),
            WireNames.Of(r.Priority), r.ClinicalQuestion, r.Indication, r.PriorStudies, WireNames.Of(r.Status), r.Assignee, r.CreatedBy,
            r.CreatedAt, r.DueAt, sla.SecondsLeft, WireNames.Of(sla.State), r.ReturnedReason, r.CancelReason,
            new CriticalView(r.CriticalFlagged, r.CriticalAcknowledgedAt, r.CriticalAcknowledgedBy), r.ReportVersion, r.SignedAt, r.SignedBy);
        return redact ? view.Redact() : view;
    }

    private ValueTask AuditAsync(ArchiveCaller caller, string? studyUid, string? id, string what, string outcome, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEvent
        {
            Actor = caller.Name,
            OrganizationId = caller.OrganizationId,
            Action = AuditActions.ReadRequest,
            Channel = caller.Channel,
            RemoteAddress = caller.RemoteAddress,
            StudyInstanceUid = studyUid,
            Outcome = outcome,
            Detail = id is null ? $"{what}: {detail}" : $"{what} read request {id}: {detail}",
        }, ct);

    private static List<T> Parse<T>(IReadOnlyList<string>? values, string what) where T : struct, Enum
    {
        var result = new List<T>();
        foreach (var value in values ?? [])
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!WireNames.TryParse<T>(part, out var parsed))
                {
                    throw new WorkflowException(WorkflowRefusal.InvalidInput,
                        $"{what} '{part}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(v => char.ToLowerInvariant(v.ToString()[0]) + v.ToString()[1..]))}");
                }
                result.Add(parsed);
            }
        }
        return result;
    }

    private static WorkflowException NotFound(string id) => new(WorkflowRefusal.NotFound, $"read request '{id}' not found");

    [LoggerMessage(Level = LogLevel.Information, Message = "read request {Id} created ({Priority}): {Routing}")]
    private partial void LogCreated(string id, ReadPriority priority, string routing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not push read request {Id} to the worklist hub")]
    private partial void LogPushFailed(Exception ex, string id);
}

/// <summary>A request with what its view shows of the study and the organisations (one query).</summary>
internal sealed class ViewRow
{
    public required ReadRequest Request { get; init; }
    public string? AccessionNumber { get; init; }
    public string? PatientName { get; init; }
    public string? PatientId { get; init; }
    public string? PatientSex { get; init; }
    public string? PatientBirthDate { get; init; }
    public string? StudyDate { get; init; }
    public string? StudyDescription { get; init; }
    public int NumberOfInstances { get; init; }
    public required string ClinicName { get; init; }
    public required string CentreName { get; init; }
}
