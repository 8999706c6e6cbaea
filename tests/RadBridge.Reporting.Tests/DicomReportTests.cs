using System.Security.Cryptography;
using System.Text.Json;
using RadBridge.Reporting.Dicom;
using RadBridge.Reporting.Pdf;

namespace RadBridge.Reporting.Tests;

/// <summary>
/// The Basic Text SR and the Encapsulated PDF of a report, judged by dicom3tools' dciodvfy (IOD conformance), DCMTK's
/// dcmdump and pydicom (read back, Chinese text decoded, the PDF extracted byte for byte).
/// </summary>
public sealed class DicomReportTests
{
    private static readonly ReportDicomBuilder Builder = new();
    private static readonly byte[] Pdf = new ReportPdfRenderer().Render(ReportSamples.Subject(), ReportSamples.Report());

    public static TheoryData<string> Variants => ["final", "preliminary", "amended"];

    private static SignedReport Variant(string name) => name switch
    {
        "final" => ReportSamples.Report(),
        "preliminary" => ReportSamples.Report(ReportStatus.Preliminary),
        "amended" => ReportSamples.Report(version: 2, amendmentReason: "补充描述 added detail", predecessor: new ReportDocumentReference(
            ReportSamples.StudyUid, "2.25.1234", DicomUids.BasicTextSRStorage, "2.25.5678")),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Structured_report_passes_dciodvfy(string variant)
    {
        var path = ExternalTools.Save(Builder.BuildStructuredReport(ReportSamples.Subject(), Variant(variant)));
        try
        {
            var (errors, warnings, output) = await ExternalTools.ValidateAsync(path);
            Assert.True(output.Contains("BasicTextSR", StringComparison.Ordinal), output);
            Assert.True(errors.Count == 0 && warnings.Count == 0, output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Encapsulated_pdf_passes_dciodvfy(string variant)
    {
        var path = ExternalTools.Save(Builder.BuildEncapsulatedPdf(ReportSamples.Subject(), Variant(variant), Pdf));
        try
        {
            var (errors, warnings, output) = await ExternalTools.ValidateAsync(path);
            Assert.True(output.Contains("EncapsulatedPDF", StringComparison.Ordinal), output);
            Assert.True(errors.Count == 0 && warnings.Count == 0, output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Dcmdump_reads_chinese_name_and_findings_of_the_sr()
    {
        var path = ExternalTools.Save(Builder.BuildStructuredReport(ReportSamples.Subject(), ReportSamples.Report()));
        try
        {
            var dump = await ExternalTools.DcmdumpAsync(path);
            Assert.Contains("(0008,0005) CS [ISO_IR 192]", dump, StringComparison.Ordinal);
            Assert.Contains("(0010,0010) PN [Zhang^Wei=张^伟]", dump, StringComparison.Ordinal);
            Assert.Contains(ReportSamples.ChineseFindings, dump, StringComparison.Ordinal);
            Assert.Contains("(0040,a491) CS [COMPLETE]", dump, StringComparison.Ordinal);
            Assert.Contains("(0040,a493) CS [VERIFIED]", dump, StringComparison.Ordinal);
            Assert.Contains("(0008,0060) CS [SR]", dump, StringComparison.Ordinal);
            Assert.Contains($"(0020,000d) UI [{ReportSamples.StudyUid}]", dump, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private const string PydicomReader = """
        import hashlib, json, sys
        import pydicom

        def walk(items, out, depth):
            for item in items:
                name = item.ConceptNameCodeSequence[0]
                entry = {"rel": item.get("RelationshipType", ""), "type": item.ValueType, "code": name.CodeValue, "scheme": name.CodingSchemeDesignator, "depth": depth}
                if item.ValueType == "TEXT": entry["text"] = item.TextValue
                if item.ValueType == "PNAME": entry["text"] = str(item.PersonName)
                if item.ValueType == "CODE": entry["text"] = item.ConceptCodeSequence[0].CodeValue
                out.append(entry)
                if "ContentSequence" in item: walk(item.ContentSequence, out, depth + 1)

        sr = pydicom.dcmread(sys.argv[1])
        doc = pydicom.dcmread(sys.argv[2])
        items = []
        walk([sr], items, 0)
        pdf = bytes(doc.EncapsulatedDocument)[: int(doc.EncapsulatedDocumentLength)]
        print(json.dumps({
            "srPatientName": str(sr.PatientName), "docPatientName": str(doc.PatientName),
            "srStudy": sr.StudyInstanceUID, "docStudy": doc.StudyInstanceUID,
            "srModality": sr.Modality, "docModality": doc.Modality,
            "srSeries": sr.SeriesInstanceUID, "docSeries": doc.SeriesInstanceUID,
            "completion": sr.CompletionFlag, "verification": sr.VerificationFlag,
            "verifier": str(sr.VerifyingObserverSequence[0].VerifyingObserverName) if "VerifyingObserverSequence" in sr else None,
            "items": items,
            "mime": doc.MIMETypeOfEncapsulatedDocument, "title": doc.DocumentTitle,
            "docConcept": doc.ConceptNameCodeSequence[0].CodeValue,
            "rawLength": len(doc.EncapsulatedDocument), "pdfSha256": hashlib.sha256(pdf).hexdigest(),
        }, ensure_ascii=False))
        """;

    [Fact]
    public async Task Pydicom_decodes_the_report_and_extracts_the_same_pdf()
    {
        var subject = ReportSamples.Subject();
        var report = ReportSamples.Report();
        var sr = ExternalTools.Save(Builder.BuildStructuredReport(subject, report));
        var doc = ExternalTools.Save(Builder.BuildEncapsulatedPdf(subject, report, Pdf));
        try
        {
            var output = await ExternalTools.PythonAsync(PydicomReader, sr, doc);
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var r = json.RootElement;
            Assert.Equal("Zhang^Wei=张^伟", r.GetProperty("srPatientName").GetString());
            Assert.Equal("Zhang^Wei=张^伟", r.GetProperty("docPatientName").GetString());
            Assert.Equal(ReportSamples.StudyUid, r.GetProperty("srStudy").GetString());
            Assert.Equal(ReportSamples.StudyUid, r.GetProperty("docStudy").GetString());
            Assert.Equal("SR", r.GetProperty("srModality").GetString());
            Assert.Equal("DOC", r.GetProperty("docModality").GetString());
            Assert.NotEqual(r.GetProperty("srSeries").GetString(), r.GetProperty("docSeries").GetString());
            Assert.Equal("COMPLETE", r.GetProperty("completion").GetString());
            Assert.Equal("VERIFIED", r.GetProperty("verification").GetString());
            Assert.Equal("李明^", r.GetProperty("verifier").GetString());
            Assert.Equal("application/pdf", r.GetProperty("mime").GetString());
            Assert.Equal("影像诊断报告", r.GetProperty("title").GetString());
            Assert.Equal("18748-4", r.GetProperty("docConcept").GetString());
            Assert.Equal(0, r.GetProperty("rawLength").GetInt32() % 2);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), r.GetProperty("pdfSha256").GetString());

            var items = r.GetProperty("items").EnumerateArray()
                .Select(i => (Rel: i.GetProperty("rel").GetString(), Type: i.GetProperty("type").GetString(), Code: i.GetProperty("code").GetString(),
                    Depth: i.GetProperty("depth").GetInt32(), Text: i.TryGetProperty("text", out var t) ? t.GetString() : null)).ToList();
            Assert.Equal(("", "CONTAINER", "18748-4", 0), (items[0].Rel, items[0].Type, items[0].Code, items[0].Depth));
            Assert.Contains(items, i => i is { Type: "CODE", Code: "121049", Text: "zh-CN" });
            Assert.Contains(items, i => i is { Type: "PNAME", Code: "121008", Text: "李明^" });
            var finding = Assert.Single(items, i => i.Code == "121071" && i.Text!.StartsWith("右肺", StringComparison.Ordinal));
            Assert.Equal(2, finding.Depth);
            Assert.Equal(ReportSamples.ChineseFindings + "\r\n" + ReportSamples.EnglishFindings, finding.Text);
            Assert.Contains(items, i => i is { Code: "121071", Text: "Lung-RADS 分类: 2" });
            var impression = Assert.Single(items, i => i.Code == "121073");
            Assert.Equal(report.Impression, impression.Text);
            Assert.Contains(items, i => i is { Type: "CONTAINER", Code: "121070", Depth: 1 });
            Assert.Contains(items, i => i is { Type: "CONTAINER", Code: "121072", Depth: 1 });
            Assert.Contains(items, i => i is { Code: "121060", Type: "TEXT", Text: "咳嗽两周，排除肺炎。Cough for two weeks, rule out pneumonia." });
        }
        finally
        {
            File.Delete(sr);
            File.Delete(doc);
        }
    }

    [Fact]
    public void Preliminary_sr_is_partial_and_unverified_without_a_verifier()
    {
        var ds = Builder.BuildStructuredReport(ReportSamples.Subject(), ReportSamples.Report(ReportStatus.Preliminary));
        Assert.Equal("PARTIAL", ds.GetString(DicomTags.CompletionFlag));
        Assert.Equal("UNVERIFIED", ds.GetString(DicomTags.VerificationFlag));
        Assert.False(ds.Contains(DicomTags.VerifyingObserverSequence));
    }

    [Fact]
    public void Amended_sr_references_its_predecessor_and_stays_in_the_series()
    {
        var first = Builder.BuildStructuredReport(ReportSamples.Subject(), ReportSamples.Report());
        var predecessor = new ReportDocumentReference(ReportSamples.StudyUid, first.GetString(DicomTags.SeriesInstanceUID)!,
            DicomUids.BasicTextSRStorage, first.GetString(DicomTags.SOPInstanceUID)!);
        var second = Builder.BuildStructuredReport(ReportSamples.Subject(), ReportSamples.Report(version: 2, amendmentReason: "typo", predecessor: predecessor));

        Assert.Equal(first.GetString(DicomTags.SeriesInstanceUID), second.GetString(DicomTags.SeriesInstanceUID));
        Assert.NotEqual(first.GetString(DicomTags.SOPInstanceUID), second.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal("2", second.GetString(DicomTags.InstanceNumber));
        var study = Assert.Single(second.GetSequence(DicomTags.PredecessorDocumentsSequence)!.Items);
        Assert.Equal(ReportSamples.StudyUid, study.GetString(DicomTags.StudyInstanceUID));
        var series = Assert.Single(study.GetSequence(DicomTags.ReferencedSeriesSequence)!.Items);
        Assert.Equal(predecessor.SeriesInstanceUid, series.GetString(DicomTags.SeriesInstanceUID));
        var sop = Assert.Single(series.GetSequence(DicomTags.ReferencedSOPSequence)!.Items);
        Assert.Equal(predecessor.SopInstanceUid, sop.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(DicomUids.BasicTextSRStorage, sop.GetString(DicomTags.ReferencedSOPClassUID));
    }

    [Fact]
    public void Encapsulated_document_refuses_bytes_that_are_not_a_pdf()
    {
        var ex = Assert.Throws<ReportException>(() => Builder.BuildEncapsulatedPdf(ReportSamples.Subject(), ReportSamples.Report(), "<html></html>"u8.ToArray()));
        Assert.Contains("%PDF-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Odd_length_pdf_keeps_its_true_length()
    {
        var pdf = Pdf.Length % 2 == 1 ? Pdf : [.. Pdf, (byte)'\n'];
        var ds = Builder.BuildEncapsulatedPdf(ReportSamples.Subject(), ReportSamples.Report(), pdf);
        var path = ExternalTools.Save(ds);
        try
        {
            var read = DicomFile.Open(path).Dataset;
            Assert.Equal((uint)pdf.Length, read.GetValue<uint>(DicomTags.EncapsulatedDocumentLength));
            var stored = ((DicomValueElement)read[DicomTags.EncapsulatedDocument]!).Buffer.GetMemory().ToArray();
            Assert.Equal(pdf.Length + 1, stored.Length);
            Assert.Equal(pdf, stored[..pdf.Length]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
