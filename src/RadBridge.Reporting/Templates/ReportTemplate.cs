namespace RadBridge.Reporting.Templates;

/// <summary>A structured field of a template: a key, its label in the template's language, the values to choose from (empty: free text).</summary>
public sealed record ReportTemplateField(string Key, string Label, IReadOnlyList<string> Options);

/// <summary>
/// A report template for a modality and body part in one language: the text the editor starts from and the structured
/// fields (BI-RADS, Lung-RADS…) it asks for. <see cref="Modality"/> and <see cref="BodyPart"/> are <c>*</c> for the
/// generic template.
/// </summary>
public sealed record ReportTemplate(
    string Id, string Modality, string BodyPart, string Language, string Name, string Findings, string Impression,
    IReadOnlyList<ReportTemplateField> Fields);
