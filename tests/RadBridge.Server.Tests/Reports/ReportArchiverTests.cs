using RadBridge.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using RadBridge.Archive;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Query;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Services.Query;
using RadBridge.Reporting;
using RadBridge.Reporting.Dicom;
using RadBridge.Reporting.Pdf;
using RadBridge.Server.Reports;

namespace RadBridge.Server.Tests.Reports;

/// <summary>
/// <see cref="ReportArchiver"/> against a real archive (SQLite index, file store, ingest): the report's SR and PDF join
/// the study under the clinic that owns it, QIDO lists them, the audit names the signer, other tenants see nothing.
/// </summary>
public sealed class ReportArchiverTests : IAsyncLifetime
{
    private const string StudyUid = "2.25.301939248720375052457206493452188432617";
    private readonly RecordingAudit _audit = new();
    private ArchiveLocation _location = null!;
    private ArchiveIngest _ingest = null!;
    private ArchiveContextFactory _contexts = null!;
    private ReportArchiver _archiver = null!;
    private int _clinic;
    private int _otherClinic;

    public async Task InitializeAsync()
    {
        _location = new ArchiveLocation(Path.Combine(Path.GetTempPath(), "rb-reports-" + Guid.NewGuid().ToString("N")), null);
        await ArchiveDatabase.EnsureSchemaAsync(_location);
        await using (var db = ArchiveDatabase.Open(_location))
        {
            var clinic = new Organization { Name = "青山镇卫生院 Qingshan Clinic", CreatedAt = DateTimeOffset.UtcNow };
            var other = new Organization { Name = "Other Clinic", CreatedAt = DateTimeOffset.UtcNow };
            var centre = new Organization { Name = "Central Hospital", IsCentre = true, CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.AddRange(clinic, other, centre);
            await db.SaveChangesAsync();
            (_clinic, _otherClinic) = (clinic.Id, other.Id);
        }
        _contexts = new ArchiveContextFactory(_location);
        // Disposed in DisposeAsync (xunit's IAsyncLifetime), which drains its index writer.
        _ingest = OpenIngest(_location, _contexts, _audit);
        _archiver = new ReportArchiver(_ingest, _contexts, new ReportPdfRenderer(), new ReportDicomBuilder(), NullLogger<ReportArchiver>.Instance);

        // The clinic's CT study: two images with a Chinese patient name.
        for (var i = 1; i <= 2; i++)
        {
            var temp = _ingest.NewTempPath();
            new DicomFile(CtImage(i)).Save(temp);
            var stored = await _ingest.IngestAsync(temp, new IngestSource(_clinic, "tech.qs", "TEST", null), CancellationToken.None);
            Assert.True(stored.Succeeded, stored.Problem);
        }
    }

    public async Task DisposeAsync()
    {
        await _ingest.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_location.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task Signed_report_joins_the_study_as_sr_and_doc_series_that_qido_lists()
    {
        var archived = await _archiver.ArchiveAsync(StudyUid, Report(), new ReportRequestDetails("排除肺炎 rule out pneumonia"));

        var series = await QidoAsync(Caller(_clinic), QueryLevel.Series, "", StudyUid);
        var modalities = series.Matches.Select(m => m.GetString(DicomTags.Modality) ?? "").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["CT", "DOC", "SR"], modalities);
        var sr = series.Matches.Single(m => m.GetString(DicomTags.Modality) == "SR");
        Assert.Equal(archived.StructuredReport.SeriesInstanceUid, sr.GetString(DicomTags.SeriesInstanceUID));
        var doc = series.Matches.Single(m => m.GetString(DicomTags.Modality) == "DOC");
        Assert.Equal(archived.EncapsulatedPdf.SeriesInstanceUid, doc.GetString(DicomTags.SeriesInstanceUID));

        var instances = await QidoAsync(Caller(_clinic), QueryLevel.Image, "", StudyUid);
        Assert.Contains(instances.Matches, m => m.GetString(DicomTags.SOPClassUID) == DicomUids.BasicTextSRStorage &&
            m.GetString(DicomTags.SOPInstanceUID) == archived.StructuredReport.SopInstanceUid);
        Assert.Contains(instances.Matches, m => m.GetString(DicomTags.SOPClassUID) == DicomUids.EncapsulatedPDFStorage &&
            m.GetString(DicomTags.SOPInstanceUID) == archived.EncapsulatedPdf.SopInstanceUid);

        // The study stays the same patient's: the index keeps the name and ID the images gave.
        var study = Assert.Single((await QidoAsync(Caller(_clinic), QueryLevel.Study, "StudyInstanceUID=" + StudyUid)).Matches);
        Assert.Equal("Zhang^Wei=张^伟", study.GetString(DicomTags.PatientName));
        Assert.Equal("QS-0001", study.GetString(DicomTags.PatientID));
    }

    [Fact]
    public async Task Stored_objects_carry_the_study_patient_and_the_same_pdf()
    {
        var archived = await _archiver.ArchiveAsync(StudyUid, Report(), new ReportRequestDetails("排除肺炎"));
        var files = await ResolveAsync(archived.EncapsulatedPdf.SopInstanceUid);
        var doc = DicomFile.Open(files).Dataset;
        var length = (int)doc.GetValue<uint>(DicomTags.EncapsulatedDocumentLength);
        var stored = ((DicomValueElement)doc[DicomTags.EncapsulatedDocument]!).Buffer.GetMemory()[..length].ToArray();
        Assert.Equal(archived.Pdf, stored);
        Assert.Equal("Zhang^Wei=张^伟", doc.GetString(DicomTags.PatientName));
        Assert.Equal("ACC-1", doc.GetString(DicomTags.AccessionNumber));

        Assert.Equal(archived.Pdf, await _archiver.ReadPdfAsync(archived.EncapsulatedPdf.SopInstanceUid));
        Assert.Null(await _archiver.ReadPdfAsync(archived.StructuredReport.SopInstanceUid));
        Assert.Null(await _archiver.ReadPdfAsync("2.25.1"));

        var sr = DicomFile.Open(await ResolveAsync(archived.StructuredReport.SopInstanceUid)).Dataset;
        Assert.Equal("19650412", sr.GetString(DicomTags.PatientBirthDate));
        Assert.Equal("COMPLETE", sr.GetString(DicomTags.CompletionFlag));

        // The PDF prints what the index knows of the study, and the clinic's name.
        var text = await PdfTextAsync(archived.Pdf);
        Assert.Contains("右肺上叶磨玻璃结节", text, StringComparison.Ordinal);
        Assert.Contains("Zhang Wei / 张伟", text, StringComparison.Ordinal);
        Assert.Contains("青山镇卫生院", text, StringComparison.Ordinal);
        Assert.Contains("排除肺炎", text, StringComparison.Ordinal);
        Assert.Contains("CHEST", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stores_are_audited_with_the_signer_under_the_clinic()
    {
        var archived = await _archiver.ArchiveAsync(StudyUid, Report());
        var stores = _audit.Events.Where(e => e.Actor == "dr.li").ToList();
        Assert.Equal(2, stores.Count);
        Assert.All(stores, e =>
        {
            Assert.Equal(AuditActions.Store, e.Action);
            Assert.Equal("success", e.Outcome);
            Assert.Equal(_clinic, e.OrganizationId);
            Assert.Equal(ReportArchiver.AuditChannel, e.Channel);
            Assert.Equal(StudyUid, e.StudyInstanceUid);
        });
        Assert.Equal(
            new[] { archived.StructuredReport.SopInstanceUid, archived.EncapsulatedPdf.SopInstanceUid }.Order(StringComparer.Ordinal),
            stores.Select(e => e.SopInstanceUid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_amendment_is_a_new_instance_in_the_same_series_referencing_its_predecessor()
    {
        var first = await _archiver.ArchiveAsync(StudyUid, Report());
        var second = await _archiver.ArchiveAsync(StudyUid, Report() with { Version = 2, AmendmentReason = "更正 corrected size", Predecessor = first.StructuredReport });

        Assert.Equal(first.StructuredReport.SeriesInstanceUid, second.StructuredReport.SeriesInstanceUid);
        Assert.NotEqual(first.StructuredReport.SopInstanceUid, second.StructuredReport.SopInstanceUid);
        var srInstances = await QidoAsync(Caller(_clinic), QueryLevel.Image, "", StudyUid, first.StructuredReport.SeriesInstanceUid);
        Assert.Equal(2, srInstances.Matches.Count);
        Assert.Equal(3, (await QidoAsync(Caller(_clinic), QueryLevel.Series, "", StudyUid)).Matches.Count);

        var amended = DicomFile.Open(await ResolveAsync(second.StructuredReport.SopInstanceUid)).Dataset;
        var reference = amended.GetSequence(DicomTags.PredecessorDocumentsSequence)!.Items[0]
            .GetSequence(DicomTags.ReferencedSeriesSequence)!.Items[0].GetSequence(DicomTags.ReferencedSOPSequence)!.Items[0];
        Assert.Equal(first.StructuredReport.SopInstanceUid, reference.GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    [Fact]
    public async Task Another_clinic_sees_neither_the_study_nor_its_report()
    {
        await _archiver.ArchiveAsync(StudyUid, Report());
        Assert.Empty((await QidoAsync(Caller(_otherClinic), QueryLevel.Series, "", StudyUid)).Matches);
        Assert.Empty((await QidoAsync(Caller(_otherClinic), QueryLevel.Image, "Modality=SR")).Matches);
    }

    [Fact]
    public async Task A_study_not_in_the_archive_is_refused_and_nothing_is_stored()
    {
        var ex = await Assert.ThrowsAsync<ReportException>(() => _archiver.ArchiveAsync("2.25.999", Report()));
        Assert.Contains("2.25.999", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_audit.Events, e => e.Actor == "dr.li");
        Assert.Empty(Directory.EnumerateFiles(_location.TempDirectory));
    }

    private static SignedReport Report() => new()
    {
        ReadRequestId = "0b6a4e1f3c2d4e5f8a9b0c1d2e3f4a5b",
        Version = 1,
        Status = ReportStatus.Final,
        Language = "zh-CN",
        Findings = "右肺上叶磨玻璃结节，约 6 mm。A 6 mm ground-glass nodule in the right upper lobe.",
        Impression = "建议 12 个月后复查 CT。Follow-up CT in 12 months.",
        Fields = [new ReportField("lungRads", "Lung-RADS 分类", "2")],
        Signer = new ReportSigner("dr.li", "李明", "Central Hospital"),
        SignedAt = new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.FromHours(8)),
    };

    private static DicomDataset CtImage(int number)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomUid.Generate().Value);
        ds.AddOrUpdate(DicomTags.PatientName, "Zhang^Wei=张^伟");
        ds.AddOrUpdate(DicomTags.PatientID, "QS-0001");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, "19650412");
        ds.AddOrUpdate(DicomTags.PatientSex, "M");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, StudyUid);
        ds.AddOrUpdate(DicomTags.StudyDate, "20261120");
        ds.AddOrUpdate(DicomTags.StudyTime, "101500");
        ds.AddOrUpdate(DicomTags.AccessionNumber, "ACC-1");
        ds.AddOrUpdate(DicomTags.StudyID, "1");
        ds.AddOrUpdate(DicomTags.StudyDescription, "胸部 CT 平扫");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, "");
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        ds.AddOrUpdate(DicomTags.BodyPartExamined, "CHEST");
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, StudyUid + ".1");
        ds.AddOrUpdate(DicomTags.SeriesNumber, "1");
        ds.AddOrUpdate(DicomTags.InstanceNumber, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)2);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)2);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new ushort[] { 0, 100, 200, 300 });
        return ds;
    }

    private static ArchiveIngest OpenIngest(ArchiveLocation location, ArchiveContextFactory contexts, IAuditSink audit) => new(location, contexts, audit);

    private static ArchiveCaller Caller(int organization) => new("tech", organization, ArchiveRoles.Technologist, "TEST", null);

    private async Task<QueryResult> QidoAsync(ArchiveCaller caller, QueryLevel level, string parameters, string? study = null, string? series = null)
    {
        var pairs = parameters.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : ""));
        await using var db = ArchiveDatabase.Open(_location);
        return await new ArchiveQueryService(_ingest.Store).FindAsync(db, caller, QidoQueryParser.Parse(level, pairs, study, series));
    }

    private async Task<string> ResolveAsync(string sopInstanceUid)
    {
        await using var db = ArchiveDatabase.Open(_location);
        var row = db.Instances.Single(i => i.SopInstanceUid == sopInstanceUid);
        return _ingest.Store.FullPath(row.StoragePath);
    }

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rb-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var result = await RadBridge.Dicom.Network.Tests.Dcmtk.RunAsync("pdftotext", ["-enc", "UTF-8", "-layout", path, "-"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
