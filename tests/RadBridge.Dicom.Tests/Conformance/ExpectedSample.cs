using System.Text.Json;

namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// The ground truth of one shared sample: expected/&lt;name&gt;.json, written from pydicom 2.3.1 and DCMTK 3.6.7
/// (see the samples' README), never from our code.
/// </summary>
internal sealed class ExpectedSample
{
    private ExpectedSample(string fileName, JsonElement root)
    {
        FileName = fileName;
        Root = root;
    }

    public string FileName { get; }

    /// <summary>The whole sidecar (a detached clone, safe to keep).</summary>
    public JsonElement Root { get; }

    public static ExpectedSample Load(string sampleFileName)
    {
        var path = Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(sampleFileName, ".json"));
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new ExpectedSample(sampleFileName, document.RootElement.Clone());
    }

    public bool HasFileMeta => Root.GetProperty("has_file_meta").GetBoolean();

    public string? TransferSyntaxUid => StringOrNull("transfer_syntax_uid");

    public bool LittleEndian => Root.GetProperty("dataset_encoding_as_read").GetProperty("little_endian").GetBoolean();

    public bool ImplicitVR => Root.GetProperty("dataset_encoding_as_read").GetProperty("implicit_vr").GetBoolean();

    /// <summary>
    /// How the generator read the file when pydicom could not read it directly (e.g. "dcmtk dcmconv +te
    /// (re-encoded as Explicit VR Little Endian)"); then the encoding facts describe the copy, not the file.
    /// </summary>
    public string? ParsedVia => StringOrNull("parsed_via");

    public bool DescribesReencodedCopy => ParsedVia?.Contains("re-encoded", StringComparison.Ordinal) == true;

    public string? StringOrNull(string property) =>
        Root.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Specific Character Set terms, or null when the data set has none.</summary>
    public IReadOnlyList<string>? SpecificCharacterSet =>
        Root.GetProperty("specific_character_set") is { ValueKind: JsonValueKind.Array } a
            ? [.. a.EnumerateArray().Select(v => v.GetString() ?? "")]
            : null;

    /// <summary>The patient_name object, or null when the data set has no Patient's Name.</summary>
    public JsonElement? PatientName =>
        Root.GetProperty("patient_name") is { ValueKind: JsonValueKind.Object } pn ? pn : null;

    /// <summary>The top-level elements in order: tag (8 hex digits), VR, and the item count of sequences.</summary>
    public IReadOnlyList<(string Tag, string VR, int? Items)> TopLevelElements =>
        [.. Root.GetProperty("top_level_elements").EnumerateArray().Select(e => (
            e.GetProperty("tag").GetString()!,
            e.GetProperty("vr").GetString()!,
            e.TryGetProperty("items", out var n) ? (int?)n.GetInt32() : null))];

    /// <summary>The image attributes (keyword → value as pydicom gave it), or empty for a non-image.</summary>
    public IReadOnlyDictionary<string, JsonElement> Image =>
        Root.GetProperty("image") is { ValueKind: JsonValueKind.Object } image
            ? image.EnumerateObject().ToDictionary(p => p.Name, p => p.Value)
            : new Dictionary<string, JsonElement>();
}
