using System.Globalization;

namespace RadBridge.Reporting.Dicom;

/// <summary>
/// Builds the DICOM forms of a signed report so that any PACS or viewer sees it in the study: a Basic Text SR
/// (PS3.3 A.35.1) with the findings and impression as text content items, and an Encapsulated PDF (PS3.3 A.45.1) with the
/// rendered report. Both join the study: same patient module, same Study Instance UID, new series (SR / DOC); all
/// text in UTF-8 (Specific Character Set ISO_IR 192) so Chinese names and findings survive.
/// </summary>
/// <remarks>
/// Series UIDs are derived from the read request (name-based UIDs), so all versions of one request's report land in one
/// SR series and one DOC series; every version is a new instance with Instance Number = version. An amended SR lists
/// its predecessor in the Predecessor Documents Sequence (the Encapsulated Document IOD has no such attribute).
/// </remarks>
public sealed class ReportDicomBuilder(string manufacturer = "RadBridge")
{
    /// <summary>Namespace of the name-based series UIDs (DicomUid.FromName).</summary>
    private const string SeriesUidNamespace = "radbridge:report-series";
    internal const int SrSeriesNumber = 9901;
    internal const int PdfSeriesNumber = 9902;

    /// <summary>The Basic Text SR of <paramref name="report"/>: PARTIAL/UNVERIFIED when preliminary, COMPLETE/VERIFIED when final.</summary>
    public DicomDataset BuildStructuredReport(ReportSubject subject, SignedReport report)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(report);
        var ds = NewInstance(DicomUids.BasicTextSRStorage, subject, report, "SR", SrSeriesNumber);
        var final = report.Status == ReportStatus.Final;

        // SR Document General module (PS3.3 C.17.2).
        ds.AddOrUpdate(DicomTags.CompletionFlag, final ? "COMPLETE" : "PARTIAL");
        ds.AddOrUpdate(DicomTags.VerificationFlag, final ? "VERIFIED" : "UNVERIFIED");
        if (final)
        {
            var observer = AddItems(ds, DicomTags.VerifyingObserverSequence, 1)[0];
            observer.AddOrUpdate(DicomTags.VerifyingObserverName, PersonName(report.Signer.DisplayName));
            observer.AddOrUpdate(new DicomSequence(DicomTags.VerifyingObserverIdentificationCodeSequence));
            observer.AddOrUpdate(DicomTags.VerifyingOrganization, Text(report.Signer.Organization, 64));
            observer.AddOrUpdate(DicomTags.VerificationDateTime, DateTimeValue(report.SignedAt));
        }
        if (report.Predecessor is { } previous)
        {
            var study = AddItems(ds, DicomTags.PredecessorDocumentsSequence, 1)[0];
            study.AddOrUpdate(DicomTags.StudyInstanceUID, previous.StudyInstanceUid);
            var series = AddItems(study, DicomTags.ReferencedSeriesSequence, 1)[0];
            series.AddOrUpdate(DicomTags.SeriesInstanceUID, previous.SeriesInstanceUid);
            var sop = AddItems(series, DicomTags.ReferencedSOPSequence, 1)[0];
            sop.AddOrUpdate(DicomTags.ReferencedSOPClassUID, previous.SopClassUid);
            sop.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, previous.SopInstanceUid);
        }
        ds.AddOrUpdate(new DicomSequence(DicomTags.PerformedProcedureCodeSequence));

        // SR Document Content module (PS3.3 C.17.3): the content tree laid out as TID 2000 does (language, observer
        // context, then sections with their text items).
        WriteContent(ds, ContentTree(subject, report), isRoot: true);
        return ds;
    }

    /// <summary>The Encapsulated PDF of the rendered report.</summary>
    public DicomDataset BuildEncapsulatedPdf(ReportSubject subject, SignedReport report, ReadOnlyMemory<byte> pdf)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(report);
        if (pdf.Length < 5 || !pdf.Span[..5].SequenceEqual("%PDF-"u8)) throw new ReportException("the encapsulated document is not a PDF (no %PDF- header)");
        var ds = NewInstance(DicomUids.EncapsulatedPDFStorage, subject, report, "DOC", PdfSeriesNumber);

        // SC Equipment module (PS3.3 C.8.6.1): made on a workstation.
        ds.AddOrUpdate(DicomTags.ConversionType, "WSD");

        // Encapsulated Document module (PS3.3 C.24.2).
        ds.AddOrUpdate(DicomTags.AcquisitionDateTime, DateTimeValue(report.SignedAt));
        // The PDF prints the patient's name and ID.
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, "YES");
        ds.AddOrUpdate(DicomTags.DocumentTitle, DocumentTitle(report));
        WriteCode(AddItems(ds, DicomTags.ConceptNameCodeSequence, 1)[0], CodedConcept.DiagnosticImagingReport);
        ds.AddOrUpdate(DicomTags.MIMETypeOfEncapsulatedDocument, "application/pdf");
        ds.AddOrUpdate(DicomTags.EncapsulatedDocumentLength, DicomVR.UL, (uint)pdf.Length);
        // OB values are written padded to even length (PS3.5 §7.1.1); Encapsulated Document Length keeps the true size.
        ds.AddOrUpdate(DicomTags.EncapsulatedDocument, DicomVR.OB, pdf);
        return ds;
    }

    private DicomDataset NewInstance(string sopClassUid, ReportSubject subject, SignedReport report, string modality, int seriesNumber)
    {
        var ds = new DicomDataset();
        // First, so that every text value (also in sequence items, which inherit it) is encoded in UTF-8.
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var (date, time) = DateAndTime(report.SignedAt);

        // SOP Common module (PS3.3 C.12.1).
        ds.AddOrUpdate(DicomTags.SOPClassUID, sopClassUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomUid.Generate().Value);
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, date);
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, time);
        ds.AddOrUpdate(DicomTags.TimezoneOffsetFromUTC, Offset(report.SignedAt));

        // Patient module (PS3.3 C.7.1.1): as in the study, so that the report files under the same patient.
        ds.AddOrUpdate(DicomTags.PatientName, subject.PatientName ?? "");
        ds.AddOrUpdate(DicomTags.PatientID, subject.PatientId ?? "");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, subject.PatientBirthDate ?? "");
        ds.AddOrUpdate(DicomTags.PatientSex, subject.PatientSex ?? "");

        // General Study module (PS3.3 C.7.2.1).
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, subject.StudyInstanceUid);
        ds.AddOrUpdate(DicomTags.StudyDate, subject.StudyDate ?? "");
        ds.AddOrUpdate(DicomTags.StudyTime, subject.StudyTime ?? "");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, subject.ReferringPhysicianName ?? "");
        ds.AddOrUpdate(DicomTags.StudyID, subject.StudyId ?? "");
        ds.AddOrUpdate(DicomTags.AccessionNumber, subject.AccessionNumber ?? "");
        if (!string.IsNullOrWhiteSpace(subject.StudyDescription)) ds.AddOrUpdate(DicomTags.StudyDescription, Text(subject.StudyDescription, 64));

        // SR Document Series (C.17.1) / Encapsulated Document Series (C.24.1) modules.
        ds.AddOrUpdate(DicomTags.Modality, modality);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, SeriesUid(subject.StudyInstanceUid, report.ReadRequestId, modality));
        ds.AddOrUpdate(DicomTags.SeriesNumber, seriesNumber.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.SeriesDescription, modality == "SR" ? "Report (structured text)" : "Report (PDF)");
        if (modality == "SR") ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedPerformedProcedureStepSequence));

        // General Equipment module (PS3.3 C.7.5.1).
        ds.AddOrUpdate(DicomTags.Manufacturer, manufacturer);
        ds.AddOrUpdate(DicomTags.InstitutionName, Text(report.Signer.Organization, 64));
        ds.AddOrUpdate(DicomTags.SoftwareVersions, typeof(ReportDicomBuilder).Assembly.GetName().Version?.ToString() ?? "0");

        // Instance number and content date/time (SR Document General, Encapsulated Document modules).
        ds.AddOrUpdate(DicomTags.InstanceNumber, report.Version.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.ContentDate, date);
        ds.AddOrUpdate(DicomTags.ContentTime, time);
        return ds;
    }

    /// <summary>The series of a request's reports of one modality (SR or DOC): the same for every version.</summary>
    public static string SeriesUid(string studyInstanceUid, string readRequestId, string modality) =>
        DicomUid.FromName(SeriesUidNamespace, $"{studyInstanceUid}/{readRequestId}/{modality}").Value;

    private static SrItem ContentTree(ReportSubject subject, SignedReport report)
    {
        var children = new List<SrItem>
        {
            SrItem.Code("HAS CONCEPT MOD", CodedConcept.LanguageOfContent, CodedConcept.Language(report.Language)),
            SrItem.Code("HAS OBS CONTEXT", CodedConcept.ObserverType, CodedConcept.Person),
            SrItem.PersonName("HAS OBS CONTEXT", CodedConcept.PersonObserverName, PersonName(report.Signer.DisplayName)),
            SrItem.Text("HAS OBS CONTEXT", CodedConcept.PersonObserverOrganization, report.Signer.Organization),
        };
        if (!string.IsNullOrWhiteSpace(subject.ClinicalQuestion))
        {
            children.Add(SrItem.Section(CodedConcept.History, [SrItem.Text("CONTAINS", CodedConcept.History, subject.ClinicalQuestion)]));
        }
        var findings = new List<SrItem>();
        if (!string.IsNullOrWhiteSpace(report.Findings)) findings.Add(SrItem.Text("CONTAINS", CodedConcept.Finding, report.Findings));
        // Structured fields (BI-RADS, Lung-RADS…) as findings in words: the Basic Text SR has no coded values for them.
        findings.AddRange(report.Fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => SrItem.Text("CONTAINS", CodedConcept.Finding, $"{f.Label}: {f.Value}")));
        if (findings.Count > 0) children.Add(SrItem.Section(CodedConcept.Findings, findings));
        var impressions = new List<SrItem>();
        if (!string.IsNullOrWhiteSpace(report.Impression)) impressions.Add(SrItem.Text("CONTAINS", CodedConcept.Impression, report.Impression));
        if (report.Critical) impressions.Add(SrItem.Text("CONTAINS", CodedConcept.Impression, report.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "危急值" : "Critical finding"));
        if (impressions.Count > 0) children.Add(SrItem.Section(CodedConcept.Impressions, impressions));
        return new SrItem(null, "CONTAINER", CodedConcept.DiagnosticImagingReport, Children: children);
    }

    private static void WriteContent(DicomDataset ds, SrItem item, bool isRoot)
    {
        if (!isRoot) ds.AddOrUpdate(DicomTags.RelationshipType, item.Relationship!);
        ds.AddOrUpdate(DicomTags.ValueType, item.ValueType);
        WriteCode(AddItems(ds, DicomTags.ConceptNameCodeSequence, 1)[0], item.Concept);
        switch (item.ValueType)
        {
            case "CONTAINER":
                ds.AddOrUpdate(DicomTags.ContinuityOfContent, "SEPARATE");
                break;
            case "TEXT":
                ds.AddOrUpdate(DicomTags.TextValue, DicomVR.UT, ReportText.Clean(item.Value).Replace("\n", "\r\n", StringComparison.Ordinal));
                break;
            case "PNAME":
                ds.AddOrUpdate(DicomTags.PersonName, item.Value!);
                break;
            case "CODE":
                WriteCode(AddItems(ds, DicomTags.ConceptCodeSequence, 1)[0], item.CodeValue!);
                break;
            default:
                throw new ReportException($"unsupported SR value type {item.ValueType}");
        }
        if (item.Children is { Count: > 0 } children)
        {
            var items = AddItems(ds, DicomTags.ContentSequence, children.Count);
            for (var i = 0; i < children.Count; i++) WriteContent(items[i], children[i], isRoot: false);
        }
    }

    private static void WriteCode(DicomDataset item, CodedConcept code)
    {
        item.AddOrUpdate(DicomTags.CodeValue, code.Value);
        item.AddOrUpdate(DicomTags.CodingSchemeDesignator, code.Scheme);
        item.AddOrUpdate(DicomTags.CodeMeaning, code.Meaning);
    }

    /// <summary>
    /// Adds a sequence of <paramref name="count"/> empty items to <paramref name="parent"/> and returns them: added
    /// before they are filled so that they inherit the parent's character set (UTF-8) when their text is encoded.
    /// </summary>
    private static List<DicomDataset> AddItems(DicomDataset parent, DicomTag tag, int count)
    {
        var items = Enumerable.Range(0, count).Select(_ => new DicomDataset()).ToList();
        parent.AddOrUpdate(new DicomSequence(tag, items));
        return items;
    }

    private static string DocumentTitle(SignedReport report)
    {
        var zh = report.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var title = zh ? "影像诊断报告" : "Diagnostic imaging report";
        if (report.Status == ReportStatus.Preliminary) title += zh ? "（初步）" : " (preliminary)";
        if (report.IsAmendment) title += zh ? $"（修订第 {report.Version} 版）" : $" (amended, version {report.Version})";
        return title;
    }

    /// <summary>
    /// A display name as a PN value. A name given in PN form (with ^) is kept; otherwise the whole name goes into the
    /// family name component, followed by an empty given name, since a display name cannot be split reliably
    /// ("李明" → "李明^"): a PN of one component is the retired (ACR-NEMA) form that validators flag.
    /// </summary>
    private static string PersonName(string name)
    {
        var clean = new string(name.Where(c => c is not ('\\' or '=') && !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length > 63) clean = clean[..63];
        return clean.Contains('^', StringComparison.Ordinal) ? clean : clean + "^";
    }

    /// <summary>Text for an LO/SH value: no backslash or control characters, cut to <paramref name="max"/> characters.</summary>
    private static string Text(string value, int max)
    {
        var clean = new string(value.Where(c => c != '\\' && !char.IsControl(c)).ToArray()).Trim();
        return clean.Length > max ? clean[..max] : clean;
    }

    private static (string Date, string Time) DateAndTime(DateTimeOffset at) =>
        (at.ToString("yyyyMMdd", CultureInfo.InvariantCulture), at.ToString("HHmmss", CultureInfo.InvariantCulture));

    private static string Offset(DateTimeOffset at)
    {
        var o = at.Offset;
        return (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
    }

    private static string DateTimeValue(DateTimeOffset at) => at.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Offset(at);

    private sealed record SrItem(string? Relationship, string ValueType, CodedConcept Concept, string? Value = null, CodedConcept? CodeValue = null, IReadOnlyList<SrItem>? Children = null)
    {
        public static SrItem Text(string relationship, CodedConcept concept, string text) => new(relationship, "TEXT", concept, Value: text);
        public static SrItem PersonName(string relationship, CodedConcept concept, string name) => new(relationship, "PNAME", concept, Value: name);
        public static SrItem Code(string relationship, CodedConcept concept, CodedConcept value) => new(relationship, "CODE", concept, CodeValue: value);
        public static SrItem Section(CodedConcept heading, IReadOnlyList<SrItem> children) => new("CONTAINS", "CONTAINER", heading, Children: children);
    }
}
