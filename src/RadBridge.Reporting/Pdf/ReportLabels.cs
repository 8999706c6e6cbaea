using System.Globalization;

namespace RadBridge.Reporting.Pdf;

/// <summary>The printed labels of a report in its language (zh-CN or en).</summary>
internal sealed record ReportLabels(
    string Title, string Report, string Version, string Preliminary, string Amended, string AmendmentReason,
    string Patient, string PatientId, string BirthDate, string Sex, string Accession, string StudyDate, string Modality,
    string Examination, string BodyPart, string ReferringClinic, string ClinicalQuestion, string Findings, string Impression,
    string StructuredFields, string Critical, string SignedBy, string SignedAt, string PageOf, string Male, string Female, string Other)
{
    public static ReportLabels English { get; } = new(
        "Diagnostic Imaging Report", "Report", "version", "PRELIMINARY REPORT - not yet verified",
        "AMENDED REPORT - version {0}", "Reason for amendment", "Patient", "Patient ID", "Date of birth", "Sex",
        "Accession No.", "Study date", "Modality", "Examination", "Body part", "Referring clinic", "Clinical question",
        "Findings", "Impression", "Structured findings", "CRITICAL FINDING - the referring clinic must acknowledge it",
        "Electronically signed by", "Signed at", "Page {0} of {1}", "Male", "Female", "Other");

    public static ReportLabels Chinese { get; } = new(
        "影像诊断报告", "报告", "版本", "初步报告（尚未审核）", "修订报告（第 {0} 版）", "修订原因", "患者姓名", "患者编号",
        "出生日期", "性别", "检查号", "检查日期", "检查类型", "检查项目", "检查部位", "申请机构", "临床问题", "影像所见",
        "诊断意见", "结构化结果", "危急值：需申请机构确认", "电子签名", "签名时间", "第 {0} 页，共 {1} 页", "男", "女", "其他");

    /// <summary>The labels for a report language: <c>zh</c>/<c>zh-CN</c> (any Chinese tag) or English for anything else.</summary>
    public static ReportLabels For(string language) =>
        language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    public string SexText(string? sex) => sex?.Trim().ToUpperInvariant() switch
    {
        "M" => Male,
        "F" => Female,
        "O" => Other,
        null or "" => "",
        var other => other,
    };

    public string AmendedText(int version) => string.Format(CultureInfo.InvariantCulture, Amended, version);

    public string PageText(int page, int pages) => string.Format(CultureInfo.InvariantCulture, PageOf, page, pages);
}
