using System.Text.Json;

namespace RadBridge.Reporting.Templates;

/// <summary>
/// The report templates, kept as data (the embedded <c>report-templates.json</c>): one per modality and body part and
/// language, plus a generic one. <see cref="Find"/> picks those for a study.
/// </summary>
public sealed class ReportTemplateCatalog
{
    /// <summary>The value of <see cref="ReportTemplate.Modality"/> and <see cref="ReportTemplate.BodyPart"/> that matches anything.</summary>
    public const string Any = "*";
    private const string ResourceName = "RadBridge.Reporting.Templates.report-templates.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Lazy<ReportTemplateCatalog> Embedded = new(Load);
    private readonly IReadOnlyList<Entry> _entries;

    private ReportTemplateCatalog(IReadOnlyList<Entry> entries) => _entries = entries;

    /// <summary>The catalogue shipped in this assembly (parsed once).</summary>
    public static ReportTemplateCatalog Default => Embedded.Value;

    /// <summary>Every template, in catalogue order.</summary>
    public IReadOnlyList<ReportTemplate> All => _entries.Select(e => e.Template).ToList();

    /// <summary>
    /// The templates for a study: those of its modality (CR and DR count as DX) and body part — either may be left out,
    /// and body parts match their usual synonyms (HEAD/BRAIN, CHEST/THORAX…) — then the generic ones; optionally in one
    /// language only. Case-insensitive.
    /// </summary>
    public IReadOnlyList<ReportTemplate> Find(string? modality = null, string? bodyPart = null, string? language = null)
    {
        bool Matches(string value, IReadOnlyList<string> aliases, string? wanted) =>
            string.IsNullOrWhiteSpace(wanted) || value == Any ||
            string.Equals(value, wanted.Trim(), StringComparison.OrdinalIgnoreCase) ||
            aliases.Contains(wanted.Trim(), StringComparer.OrdinalIgnoreCase);

        return _entries
            .Where(e => Matches(e.Template.Modality, e.ModalityAliases, modality) && Matches(e.Template.BodyPart, e.BodyPartAliases, bodyPart))
            .Where(e => string.IsNullOrWhiteSpace(language) || string.Equals(e.Template.Language, language.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Template.Modality == Any ? 1 : 0)
            .Select(e => e.Template)
            .ToList();
    }

    /// <summary>The template with this id, or null.</summary>
    public ReportTemplate? Get(string id) => _entries.FirstOrDefault(e => string.Equals(e.Template.Id, id, StringComparison.Ordinal))?.Template;

    private static ReportTemplateCatalog Load()
    {
        using var stream = typeof(ReportTemplateCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new ReportException($"embedded resource {ResourceName} is missing from {typeof(ReportTemplateCatalog).Assembly.GetName().Name}");
        return Parse(stream);
    }

    /// <summary>Reads a catalogue in the format of <c>report-templates.json</c>.</summary>
    /// <exception cref="ReportException">Not a valid catalogue: bad JSON, a template without id, name or language, a duplicate id.</exception>
    public static ReportTemplateCatalog Parse(Stream json)
    {
        List<EntryJson>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<List<EntryJson>>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new ReportException($"report templates: invalid JSON: {ex.Message}", ex);
        }
        var entries = new List<Entry>();
        foreach (var e in raw ?? [])
        {
            if (string.IsNullOrWhiteSpace(e.Id) || string.IsNullOrWhiteSpace(e.Name) || string.IsNullOrWhiteSpace(e.Language) ||
                string.IsNullOrWhiteSpace(e.Modality) || string.IsNullOrWhiteSpace(e.BodyPart))
            {
                throw new ReportException($"report templates: template '{e.Id}' lacks an id, name, language, modality or body part");
            }
            if (entries.Any(x => x.Template.Id == e.Id)) throw new ReportException($"report templates: duplicate id '{e.Id}'");
            var fields = (e.Fields ?? []).Select(f => new ReportTemplateField(
                f.Key ?? throw new ReportException($"report templates: a field of '{e.Id}' has no key"),
                f.Label ?? throw new ReportException($"report templates: field '{f.Key}' of '{e.Id}' has no label"),
                f.Options ?? [])).ToList();
            entries.Add(new Entry(
                new ReportTemplate(e.Id, e.Modality, e.BodyPart, e.Language, e.Name, e.Findings ?? "", e.Impression ?? "", fields),
                e.ModalityAliases ?? [], e.BodyPartAliases ?? []));
        }
        return new ReportTemplateCatalog(entries);
    }

    private sealed record Entry(ReportTemplate Template, IReadOnlyList<string> ModalityAliases, IReadOnlyList<string> BodyPartAliases);

    private sealed record EntryJson(
        string? Id, string? Modality, string? BodyPart, string? Language, string? Name, string? Findings, string? Impression,
        List<FieldJson>? Fields, List<string>? ModalityAliases, List<string>? BodyPartAliases);

    private sealed record FieldJson(string? Key, string? Label, List<string>? Options);
}
