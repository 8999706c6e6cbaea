namespace RadBridge.Reporting.Dicom;

/// <summary>A coded concept (PS3.3 Code Sequence Macro, Table 8.8-1): value, coding scheme, meaning.</summary>
internal sealed record CodedConcept(string Value, string Scheme, string Meaning)
{
    /// <summary>LOINC 18748-4, the document title of a diagnostic imaging report (PS3.16 CID 7000).</summary>
    public static CodedConcept DiagnosticImagingReport { get; } = new("18748-4", "LN", "Diagnostic imaging report");

    // PS3.16 TID 1204 (language) and TID 1002 (observer context), DCM codes of PS3.16 Annex D.
    public static CodedConcept LanguageOfContent { get; } = new("121049", "DCM", "Language of Content Item and Descendants");
    public static CodedConcept ObserverType { get; } = new("121005", "DCM", "Observer Type");
    public static CodedConcept Person { get; } = new("121006", "DCM", "Person");
    public static CodedConcept PersonObserverName { get; } = new("121008", "DCM", "Person Observer Name");
    public static CodedConcept PersonObserverOrganization { get; } = new("121009", "DCM", "Person Observer's Organization Name");

    // PS3.16 CID 7001 (report section headings) and CID 7002 (report elements), as TID 2001/2002 use them.
    public static CodedConcept History { get; } = new("121060", "DCM", "History");
    public static CodedConcept Findings { get; } = new("121070", "DCM", "Findings");
    public static CodedConcept Finding { get; } = new("121071", "DCM", "Finding");
    public static CodedConcept Impressions { get; } = new("121072", "DCM", "Impressions");
    public static CodedConcept Impression { get; } = new("121073", "DCM", "Impression");

    /// <summary>The report language as a CID 5000 code (RFC 5646 language tag).</summary>
    public static CodedConcept Language(string tag) =>
        tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new("zh-CN", "RFC5646", "Chinese (China)") : new("en", "RFC5646", "English");
}
