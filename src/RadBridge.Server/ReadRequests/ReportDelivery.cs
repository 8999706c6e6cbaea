using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Reporting;
using RadBridge.Reporting.Templates;
using RadBridge.Server.Reports;
using RadBridge.Workflow.ReadRequests;
using WorkflowReportStatus = RadBridge.Workflow.ReadRequests.ReportStatus;

namespace RadBridge.Server.ReadRequests;

/// <summary>
/// Delivers a signed report to the clinic: stores its PDF, Basic Text SR and Encapsulated PDF into the study
/// (<see cref="ReportArchiver"/>), remembers those objects on the report version, and moves the request to
/// <c>delivered</c>. Run right after signing; the monitor retries a signed request whose delivery failed.
/// </summary>
internal sealed partial class ReportDelivery(
    IDbContextFactory<ArchiveDbContext> contexts,
    ReportArchiver archiver,
    ReportTemplateCatalog templates,
    ReadRequestService requests,
    IAuditSink audit,
    TimeProvider clock,
    ILogger<ReportDelivery> log) : IDisposable
{
    // One delivery at a time: the sign endpoint and the monitor's retry must not store the same version twice.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Stores and delivers a signed request; false (logged and audited) when the documents could not be stored.</summary>
    public async Task<bool> DeliverAsync(string id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await DeliverOnceAsync(id, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> DeliverOnceAsync(string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var request = await db.ReadRequests.AsTracking().FirstOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false);
        if (request is not { Status: ReadRequestStatus.Signed }) return false;
        var version = await db.ReportVersions.AsTracking()
            .FirstAsync(v => v.ReadRequestId == id && v.Version == request.ReportVersion, ct).ConfigureAwait(false);
        if (version.DocumentsStoredAt is null)
        {
            SignedReport report;
            try
            {
                report = await SignedReportAsync(db, request, version, ct).ConfigureAwait(false);
                var stored = await archiver.ArchiveAsync(request.StudyInstanceUid, report, new ReportRequestDetails(request.ClinicalQuestion, request.BodyPart), ct)
                    .ConfigureAwait(false);
                version.RecordDocuments(stored.StructuredReport.SeriesInstanceUid, stored.StructuredReport.SopInstanceUid, stored.StructuredReport.SopClassUid,
                    stored.EncapsulatedPdf.SeriesInstanceUid, stored.EncapsulatedPdf.SopInstanceUid, clock.GetUtcNow());
                // Saved on its own (the version has no concurrency token): a retry below must never store the documents twice.
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DicomException or IOException)
            {
                // ReportException (a DicomException): study gone, font missing, object refused; IOException: the disk.
                LogDeliveryFailed(ex, id);
                await AuditAsync(request, "failure", $"deliver read request {id}: {ex.Message}", ct).ConfigureAwait(false);
                return false;
            }
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                request.Deliver(WorkflowActor.SystemActor, clock.GetUtcNow());
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Someone acted on the request meanwhile (an amendment already?): look again at what it is now.
                await db.Entry(request).ReloadAsync(ct).ConfigureAwait(false);
                if (request.Status != ReadRequestStatus.Signed) return false;
            }
        }
        await AuditAsync(request, "success", $"deliver read request {id}: report v{version.Version} stored as SR {version.SrSopInstanceUid} and PDF {version.PdfSopInstanceUid}", ct)
            .ConfigureAwait(false);
        await requests.PushAsync(id, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The report as the PDF and the DICOM objects print it: labels from its template, the signer's name and centre.</summary>
    private async Task<SignedReport> SignedReportAsync(ArchiveDbContext db, ReadRequest request, ReportVersion version, CancellationToken ct)
    {
        var signerName = version.SignedBy ?? request.SignedBy ?? "";
        var signer = await db.Users.Where(u => u.UserName == signerName).Select(u => u.DisplayName).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var centre = await db.Organizations.Where(o => o.Id == request.CentreOrganizationId).Select(o => o.Name).FirstAsync(ct).ConfigureAwait(false);
        var template = version.TemplateId is { } templateId ? templates.Get(templateId) : null;
        var fields = version.StructuredFields.Select(f => new ReportField(f.Key,
            template?.Fields.FirstOrDefault(t => string.Equals(t.Key, f.Key, StringComparison.Ordinal))?.Label ?? f.Key, f.Value)).ToList();
        ReportDocumentReference? predecessor = null;
        if (version.Version > 1)
        {
            var previous = await db.ReportVersions.Where(v => v.ReadRequestId == request.Id && v.Version < version.Version && v.SrSopInstanceUid != null)
                .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (previous is not null)
            {
                predecessor = new ReportDocumentReference(request.StudyInstanceUid, previous.SrSeriesInstanceUid!, previous.SrSopClassUid!, previous.SrSopInstanceUid!);
            }
        }
        return new SignedReport
        {
            ReadRequestId = request.Id,
            Version = version.Version,
            Status = version.Status == WorkflowReportStatus.Final ? RadBridge.Reporting.ReportStatus.Final : RadBridge.Reporting.ReportStatus.Preliminary,
            AmendmentReason = version.AmendmentReason,
            Language = version.Language,
            Findings = version.Findings,
            Impression = version.Impression,
            Fields = fields,
            Critical = version.Critical,
            Signer = new ReportSigner(signerName, string.IsNullOrWhiteSpace(signer) ? signerName : signer, centre),
            SignedAt = version.SignedAt ?? clock.GetUtcNow(),
            Predecessor = predecessor,
        };
    }

    public void Dispose() => _gate.Dispose();

    private ValueTask AuditAsync(ReadRequest request, string outcome, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEvent
        {
            Actor = "system",
            OrganizationId = request.CentreOrganizationId,
            Action = AuditActions.ReadRequest,
            Channel = "API",
            StudyInstanceUid = request.StudyInstanceUid,
            Outcome = outcome,
            Detail = detail,
        }, ct);

    [LoggerMessage(Level = LogLevel.Error, Message = "the signed report of read request {Id} could not be stored in its study; it stays signed, not delivered")]
    private partial void LogDeliveryFailed(Exception ex, string id);
}
