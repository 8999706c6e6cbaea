namespace RadBridge.Reporting.Tests;

/// <summary>A study and reports about it, in Chinese and English, as the tests use them.</summary>
internal static class ReportSamples
{
    public const string StudyUid = "1.2.826.0.1.3680043.8.498.12345678901234567890";

    public static ReportSubject Subject(string studyUid = StudyUid) => new()
    {
        PatientName = "Zhang^Wei=张^伟",
        PatientId = "PID-0042",
        PatientBirthDate = "19650412",
        PatientSex = "M",
        StudyInstanceUid = studyUid,
        StudyId = "S1",
        AccessionNumber = "ACC-7781",
        StudyDate = "20261120",
        StudyTime = "101500",
        StudyDescription = "CT 胸部平扫 Chest without contrast",
        Modality = "CT",
        BodyPart = "CHEST",
        ReferringClinic = "青山镇卫生院 Qingshan Township Clinic",
        ClinicalQuestion = "咳嗽两周，排除肺炎。Cough for two weeks, rule out pneumonia.",
    };

    public const string ChineseFindings = "右肺上叶见一磨玻璃结节，大小约 6 mm，边界清楚。双肺门不大，纵隔未见肿大淋巴结。";
    public const string EnglishFindings = "A 6 mm ground-glass nodule in the right upper lobe, well defined. No mediastinal lymphadenopathy.";

    public static SignedReport Report(ReportStatus status = ReportStatus.Final, string findings = ChineseFindings + "\n" + EnglishFindings,
        int version = 1, string? amendmentReason = null, ReportDocumentReference? predecessor = null) => new()
    {
        ReadRequestId = "8f14e45fceea167a5a36dedd4bea2543",
        Version = version,
        Status = status,
        AmendmentReason = amendmentReason,
        Language = "zh-CN",
        Findings = findings,
        Impression = "右肺上叶磨玻璃结节，建议 12 个月后复查。Ground-glass nodule, follow-up CT in 12 months.",
        Fields = [new ReportField("lungRads", "Lung-RADS 分类", "2"), new ReportField("nodules", "结节数目 Nodules", "1")],
        Critical = false,
        Signer = new ReportSigner("dr.li", "李明", "市人民医院影像中心 City Imaging Centre"),
        SignedAt = new DateTimeOffset(2026, 11, 23, 18, 30, 5, TimeSpan.FromHours(8)),
        Predecessor = predecessor,
    };
}
