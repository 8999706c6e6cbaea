using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace RadBridge.Reporting.Pdf;

/// <summary>
/// Renders a signed report as an A4 PDF: the reading centre and title, the patient and study, the clinical question,
/// findings, impression, structured fields, the critical-finding mark and the signature; "PRELIMINARY" or the amendment
/// with its reason at the top; page numbers and the report's identity in every footer. Text in Chinese and English,
/// mixed freely, wraps over as many pages as it needs.
/// </summary>
public sealed class ReportPdfRenderer
{
    private readonly ReportFonts _fonts;

    /// <param name="fonts">The font files; <see cref="ReportFonts.Debian"/> when null. They are looked up on the first render.</param>
    public ReportPdfRenderer(ReportFonts? fonts = null) => _fonts = fonts ?? ReportFonts.Debian;

    /// <summary>The PDF bytes of <paramref name="report"/> about <paramref name="subject"/>.</summary>
    /// <exception cref="ReportException">A font file is missing (the message names the Debian package), or the report is empty.</exception>
    public byte[] Render(ReportSubject subject, SignedReport report)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(report);
        if (string.IsNullOrWhiteSpace(report.Findings) && string.IsNullOrWhiteSpace(report.Impression))
        {
            throw new ReportException($"report {report.ReadRequestId} v{report.Version} has neither findings nor an impression");
        }
        CheckLimits(subject, report);
        _fonts.EnsurePresent();
        FileFontResolver.EnsureInstalled();

        var labels = ReportLabels.For(report.Language);
        using var document = new PdfDocument();
        document.Info.Title = $"{labels.Title} {report.ReadRequestId} v{report.Version}";
        document.Info.Author = report.Signer.DisplayName;
        document.Info.Creator = "RadBridge";
        // Fixed creation date: the same report renders to the same content (a PDF re-rendered for download matches the stored one in text).
        document.Info.CreationDate = report.SignedAt.UtcDateTime;
        using (var flow = new PageFlow(document, _fonts))
        {
            WriteHeader(flow, subject, report, labels);
            WritePatientBlock(flow, subject, labels);
            if (!string.IsNullOrWhiteSpace(subject.ClinicalQuestion)) flow.Section(labels.ClinicalQuestion, ReportText.Clean(subject.ClinicalQuestion));
            flow.Section(labels.Findings, ReportText.Clean(report.Findings));
            flow.Section(labels.Impression, ReportText.Clean(report.Impression));
            if (report.Fields.Count > 0)
            {
                flow.Heading(labels.StructuredFields);
                flow.Grid(report.Fields.Select(f => (ReportText.Clean(f.Label), ReportText.Clean(f.Value))).ToList(), columns: 1);
            }
            if (report.Critical) flow.Banner(labels.Critical, XColors.DarkRed);
            WriteSignature(flow, report, labels);
        }
        WriteFooters(document, report, labels, _fonts);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>The most text one field may hold (characters): far beyond any report (a long one is ~5,000), but bounded.</summary>
    public const int MaxTextLength = 100_000;

    /// <summary>The most structured fields a report may have.</summary>
    public const int MaxFields = 200;

    // Bounds the work and the PDF's size whatever a client sends (a 100,000-character text is ~40 pages).
    private static void CheckLimits(ReportSubject subject, SignedReport report)
    {
        void Check(string? text, string what)
        {
            if (text is { Length: > MaxTextLength }) throw new ReportException($"the report's {what} is {text.Length} characters long; at most {MaxTextLength} are allowed");
        }
        Check(report.Findings, "findings");
        Check(report.Impression, "impression");
        Check(report.AmendmentReason, "amendment reason");
        Check(subject.ClinicalQuestion, "clinical question");
        if (report.Fields.Count > MaxFields) throw new ReportException($"the report has {report.Fields.Count} structured fields; at most {MaxFields} are allowed");
        foreach (var field in report.Fields)
        {
            Check(field.Label, "field label");
            Check(field.Value, $"field {field.Key}");
        }
    }

    private static void WriteHeader(PageFlow flow, ReportSubject subject, SignedReport report, ReportLabels labels)
    {
        flow.Line(ReportText.Clean(report.Signer.Organization), flow.Title, XBrushes.Black);
        flow.Line(labels.Title, flow.Subtitle, XBrushes.DimGray);
        flow.Line($"{labels.Report} {report.ReadRequestId} · {labels.Version} {report.Version}" +
            (string.IsNullOrWhiteSpace(subject.ReferringClinic) ? "" : $" · {labels.ReferringClinic}: {ReportText.Clean(subject.ReferringClinic)}"),
            flow.Small, XBrushes.DimGray);
        flow.Rule();
        if (report.Status == ReportStatus.Preliminary) flow.Banner(labels.Preliminary, XColors.DarkOrange);
        if (report.IsAmendment)
        {
            flow.Banner(labels.AmendedText(report.Version), XColors.SteelBlue);
            if (!string.IsNullOrWhiteSpace(report.AmendmentReason)) flow.Grid([(labels.AmendmentReason, ReportText.Clean(report.AmendmentReason))], columns: 1);
        }
    }

    private static void WritePatientBlock(PageFlow flow, ReportSubject s, ReportLabels labels)
    {
        var cells = new List<(string, string)>
        {
            (labels.Patient, ReportText.PersonName(s.PatientName)),
            (labels.PatientId, s.PatientId ?? ""),
            (labels.BirthDate, ReportText.Date(s.PatientBirthDate)),
            (labels.Sex, labels.SexText(s.PatientSex)),
            (labels.Accession, s.AccessionNumber ?? ""),
            (labels.StudyDate, $"{ReportText.Date(s.StudyDate)} {ReportText.Time(s.StudyTime)}".Trim()),
            (labels.Modality, s.Modality?.Replace('\\', ' ') ?? ""),
            (labels.BodyPart, s.BodyPart ?? ""),
        };
        if (!string.IsNullOrWhiteSpace(s.StudyDescription)) cells.Add((labels.Examination, ReportText.Clean(s.StudyDescription)));
        flow.Grid(cells, columns: 2);
        flow.Rule();
    }

    private static void WriteSignature(PageFlow flow, SignedReport report, ReportLabels labels)
    {
        flow.Space(18);
        flow.KeepTogether(3 * flow.Body.LineHeight + 10);
        flow.Rule();
        flow.Line($"{labels.SignedBy}: {ReportText.Clean(report.Signer.DisplayName)} ({report.Signer.UserName}), {ReportText.Clean(report.Signer.Organization)}", flow.Bold, XBrushes.Black);
        flow.Line($"{labels.SignedAt}: {ReportText.DateTime(report.SignedAt)}", flow.Body, XBrushes.Black);
    }

    private static void WriteFooters(PdfDocument document, SignedReport report, ReportLabels labels, ReportFonts fonts)
    {
        var small = new ReportTypeface(fonts, 8, bold: false);
        var count = document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - PageFlow.Margin + 12;
            var left = $"{labels.Report} {report.ReadRequestId} · {labels.Version} {report.Version}" +
                (report.Status == ReportStatus.Preliminary ? $" · {labels.Preliminary}" : "");
            small.Draw(g, left, XBrushes.DimGray, PageFlow.Margin, y);
            var pageText = labels.PageText(i + 1, count);
            small.Draw(g, pageText, XBrushes.DimGray, page.Width.Point - PageFlow.Margin - small.Measure(g, pageText), y);
        }
    }
}
