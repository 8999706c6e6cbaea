using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Reporting;
using RadBridge.Reporting.Dicom;
using RadBridge.Reporting.Pdf;

namespace RadBridge.Server.Reports;

/// <summary>What the read request adds to the study's own attributes on the printed report.</summary>
/// <param name="ClinicalQuestion">The clinic's question to the reader.</param>
/// <param name="BodyPart">The body part of the request, when the study's series do not say it.</param>
public sealed record ReportRequestDetails(string? ClinicalQuestion = null, string? BodyPart = null);

/// <summary>A signed report stored into its study: the PDF, and the two DICOM instances that carry it.</summary>
public sealed record ArchivedReport(byte[] Pdf, ReportDocumentReference StructuredReport, ReportDocumentReference EncapsulatedPdf);

/// <summary>
/// Stores a signed report back into its study so that any PACS or viewer sees it: renders the PDF, builds the Basic
/// Text SR and the Encapsulated PDF from the study's patient and study attributes (as indexed), and ingests both through
/// <see cref="ArchiveIngest"/> like any received instance — under the organisation that owns the study, so that the
/// clinic sees its report, and audited with the signer as the actor.
/// </summary>
/// <remarks>
/// The SR is stored first, then the PDF. Should the second store fail, the SR stays (it is a complete report on its
/// own) and the error is raised; signing again stores a new pair with new SOP Instance UIDs, in the same series.
/// </remarks>
public sealed partial class ReportArchiver(
    ArchiveIngest ingest,
    IDbContextFactory<ArchiveDbContext> contexts,
    ReportPdfRenderer renderer,
    ReportDicomBuilder builder,
    ILogger<ReportArchiver> logger)
{
    /// <summary>The channel of the audit records of report stores.</summary>
    public const string AuditChannel = "Report";

    /// <summary>Renders and stores <paramref name="report"/> into the study <paramref name="studyInstanceUid"/>.</summary>
    /// <exception cref="ReportException">The study is not in the archive, a font is missing, or the archive refused an object.</exception>
    public async Task<ArchivedReport> ArchiveAsync(string studyInstanceUid, SignedReport report, ReportRequestDetails? details = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (subject, owner) = await LoadSubjectAsync(studyInstanceUid, details, ct).ConfigureAwait(false);
        var pdf = renderer.Render(subject, report);
        var source = new IngestSource(owner, report.Signer.UserName, AuditChannel, null);
        var sr = await StoreAsync(builder.BuildStructuredReport(subject, report), source, ct).ConfigureAwait(false);
        var document = await StoreAsync(builder.BuildEncapsulatedPdf(subject, report, pdf), source, ct).ConfigureAwait(false);
        LogArchived(logger, report.ReadRequestId, report.Version, studyInstanceUid, sr.SopInstanceUid, document.SopInstanceUid);
        return new ArchivedReport(pdf, sr, document);
    }

    /// <summary>
    /// The printed subject of a report on <paramref name="studyInstanceUid"/> and the organisation that owns the study,
    /// from the index: patient and study attributes as the study's instances gave them, the clinic's name, the
    /// modalities and body part of its image series.
    /// </summary>
    /// <exception cref="ReportException">The study is not in the archive.</exception>
    public async Task<(ReportSubject Subject, int OwnerOrganizationId)> LoadSubjectAsync(string studyInstanceUid, ReportRequestDetails? details = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var study = await db.Studies.AsNoTracking().Include(s => s.Patient)
                .FirstOrDefaultAsync(s => s.StudyInstanceUid == studyInstanceUid, ct).ConfigureAwait(false)
                ?? throw new ReportException($"study {studyInstanceUid} is not in the archive");
            var clinic = await db.Organizations.AsNoTracking().Where(o => o.Id == study.OrganizationId).Select(o => o.Name).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            var series = await db.Series.AsNoTracking().Where(se => se.StudyId == study.Id)
                .Select(se => new { se.Modality, se.BodyPartExamined }).ToListAsync(ct).ConfigureAwait(false);
            // The image series only: earlier reports (SR, DOC) are not what the study is.
            var images = series.Where(se => se.Modality is not (null or "SR" or "DOC" or "KO" or "PR")).ToList();
            var subject = new ReportSubject
            {
                PatientName = study.PatientName ?? study.Patient?.PatientName,
                PatientId = study.PatientId ?? study.Patient?.PatientId,
                PatientBirthDate = study.PatientBirthDate ?? study.Patient?.BirthDate,
                PatientSex = study.PatientSex ?? study.Patient?.Sex,
                StudyInstanceUid = study.StudyInstanceUid,
                StudyId = study.StudyId,
                AccessionNumber = study.AccessionNumber,
                StudyDate = study.StudyDate,
                StudyTime = study.StudyTime,
                StudyDescription = study.StudyDescription,
                ReferringPhysicianName = study.ReferringPhysicianName,
                Modality = string.Join('\\', images.Select(se => se.Modality!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                BodyPart = details?.BodyPart ?? images.Select(se => se.BodyPartExamined).FirstOrDefault(b => !string.IsNullOrWhiteSpace(b)),
                ReferringClinic = clinic,
                ClinicalQuestion = details?.ClinicalQuestion,
            };
            return (subject, study.OrganizationId);
        }
    }

    /// <summary>
    /// The PDF of a stored Encapsulated PDF report instance (as <see cref="ArchiveAsync"/> returned it), read back from
    /// the archive: for serving a report later without keeping the bytes elsewhere. Null when no such instance is stored.
    /// </summary>
    /// <exception cref="ReportException">The stored instance holds no PDF.</exception>
    public async Task<byte[]?> ReadPdfAsync(string sopInstanceUid, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sopInstanceUid);
        string? path;
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            path = await db.Instances.Where(i => i.SopInstanceUid == sopInstanceUid && i.SopClassUid == DicomUids.EncapsulatedPDFStorage)
                .Select(i => i.StoragePath).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        }
        if (path is null) return null;
        var file = await DicomFile.OpenAsync(ingest.Store.FullPath(path), cancellationToken: ct).ConfigureAwait(false);
        if (file.Dataset[DicomTags.EncapsulatedDocument] is not DicomValueElement document)
        {
            throw new ReportException($"instance {sopInstanceUid} has no Encapsulated Document");
        }
        var bytes = await document.Buffer.GetMemoryAsync(ct).ConfigureAwait(false);
        // The stored value is padded to even length; Encapsulated Document Length is the PDF's own.
        var length = file.Dataset.TryGetValue<uint>(DicomTags.EncapsulatedDocumentLength, 0, out var declared) && declared <= bytes.Length ? (int)declared : bytes.Length;
        return bytes[..length].ToArray();
    }

    private async Task<ReportDocumentReference> StoreAsync(DicomDataset dataset, IngestSource source, CancellationToken ct)
    {
        var temp = ingest.NewTempPath();
        try
        {
            await new DicomFile(dataset).SaveAsync(temp, cancellationToken: ct).ConfigureAwait(false);
            var result = await ingest.IngestAsync(temp, source, ct).ConfigureAwait(false);
            if (!result.Succeeded || result.Attributes is not { } a)
            {
                throw new ReportException($"the archive refused the report object {dataset.GetString(DicomTags.SOPInstanceUID)}: {result.Outcome}: {result.Problem}");
            }
            return new ReportDocumentReference(a.StudyInstanceUid, a.SeriesInstanceUid, a.SopClassUid, a.SopInstanceUid);
        }
        finally
        {
            // IngestAsync moves or deletes it; this is for a failure before it was handed over.
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "report {ReadRequestId} v{Version} stored in study {Study}: SR {Sr}, PDF {Pdf}")]
    private static partial void LogArchived(ILogger logger, string readRequestId, int version, string study, string sr, string pdf);
}
