using System.Globalization;
using System.Text.Json;

namespace RadBridge.Dicom.Tests.Json;

/// <summary>
/// Our DICOM JSON against pydicom 2.3.1's <c>Dataset.to_json_dict</c>, attribute by attribute, and pydicom's JSON read
/// back by our reader.
/// </summary>
/// <remarks>
/// Differences that are pydicom's choices (checked in its source, dataelem.py and jsonrep.py), not disagreements:
/// <list type="bullet">
/// <item>DS and IS: pydicom converts values to Python float/int (<c>convert_to_python_number</c>), so "5.000000" is
/// 5.0 and digits beyond a double's precision go; we keep the stored digits. Compared as numbers.</item>
/// <item>FL: pydicom writes the float32 value widened to double (0.10000000149011612); we write the shortest float32
/// form (0.1). Compared with single-precision tolerance.</item>
/// <item>An empty value inside a multi-valued element: pydicom writes "" (or {"Alphabetic": ""} for PN), F.2.5 says
/// null, which we write.</item>
/// <item>PN: pydicom always writes "Alphabetic" and writes empty groups ("Phonetic": "" for "Wang^XiaoDong=王^小東=");
/// F.2.2 writes only non-empty groups, as we do. A missing group equals an empty one here.</item>
/// <item>A sequence without items: pydicom writes "Value": [], we write no Value (F.2.5, zero length).</item>
/// <item>Bulk data thresholds: pydicom compares the base64 length; ours counts bytes (1024 characters = 768 bytes).</item>
/// </list>
/// </remarks>
public class PydicomCrossCheckTests
{
    public static TheoryData<string> Samples => ["CT_small.dcm", "MR_small.dcm", "chrX1.dcm", "chrX2.dcm", "test-SR.dcm", "rtplan.dcm"];

    private static readonly DicomJsonOptions SameBulkData = new()
    {
        BulkDataThreshold = Pydicom.ThresholdBytes,
        BulkDataUriFactory = r => "bulk:" + r.Element.Tag.ToHexString(),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Our_JSON_matches_pydicoms_attribute_by_attribute(string sample)
    {
        var path = TestPaths.Sample(sample);
        foreach (var bulkUris in new[] { true, false })
        {
            var ours = DicomJson.Serialize(DicomFile.Open(path).Dataset, bulkUris ? SameBulkData : new DicomJsonOptions { BulkDataUriFactory = null });
            var theirs = Pydicom.ToJson(path, bulkUris);
            using var o = JsonDocument.Parse(ours);
            using var t = JsonDocument.Parse(theirs);
            var differences = new List<string>();
            CompareDataset(o.RootElement, t.RootElement, "", differences);
            Assert.True(differences.Count == 0, $"{sample} ({(bulkUris ? "bulk URIs" : "inline")}):\n" + string.Join("\n", differences.Take(20)));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Pydicoms_JSON_reads_back_to_the_data_set_of_the_file(string sample)
    {
        var path = TestPaths.Sample(sample);
        var original = DicomFile.Open(path).Dataset;

        var read = DicomJson.Deserialize(Pydicom.ToJson(path, bulkUris: false));

        var differences = new List<string>();
        CompareDatasets(original, read, "", differences);
        Assert.True(differences.Count == 0, sample + ":\n" + string.Join("\n", differences.Take(20)));
        // Nothing appeared that the file does not have.
        Assert.Equal(original.Count(e => !e.Tag.IsGroupLength), read.Count);
    }

    private static void CompareDataset(JsonElement ours, JsonElement theirs, string where, List<string> differences)
    {
        var ourKeys = ours.EnumerateObject().Select(p => p.Name).ToList();
        // pydicom writes group lengths where the file has them; F.2.2 leaves them out.
        var theirKeys = theirs.EnumerateObject().Select(p => p.Name).Where(k => !k.EndsWith("0000", StringComparison.Ordinal)).ToList();
        foreach (var missing in theirKeys.Except(ourKeys)) differences.Add($"{where}/{missing}: only pydicom has it");
        foreach (var extra in ourKeys.Except(theirKeys)) differences.Add($"{where}/{extra}: only we have it");
        foreach (var key in ourKeys.Intersect(theirKeys)) CompareAttribute(ours.GetProperty(key), theirs.GetProperty(key), $"{where}/{key}", differences);
    }

    private static void CompareAttribute(JsonElement ours, JsonElement theirs, string where, List<string> differences)
    {
        var vr = ours.GetProperty("vr").GetString()!;
        var theirVr = theirs.GetProperty("vr").GetString();
        if (vr != theirVr)
        {
            differences.Add($"{where}: vr {vr} vs pydicom {theirVr}");
            return;
        }
        foreach (var key in new[] { "InlineBinary", "BulkDataURI" })
        {
            var a = ours.TryGetProperty(key, out var x) ? x.GetString() : null;
            var b = theirs.TryGetProperty(key, out var y) ? y.GetString() : null;
            if (a != b) differences.Add($"{where}: {key} {Short(a)} vs pydicom {Short(b)}");
        }
        var ourValues = ours.TryGetProperty("Value", out var ov) ? ov.EnumerateArray().ToList() : [];
        var theirValues = theirs.TryGetProperty("Value", out var tv) ? tv.EnumerateArray().ToList() : [];
        if (ourValues.Count != theirValues.Count)
        {
            differences.Add($"{where}: {ourValues.Count} values vs pydicom {theirValues.Count}");
            return;
        }
        for (var i = 0; i < ourValues.Count; i++)
        {
            var at = $"{where}[{i}]";
            var a = ourValues[i];
            var b = theirValues[i];
            switch (vr)
            {
                case "SQ":
                    CompareDataset(a, b, at, differences);
                    break;
                case "PN":
                    foreach (var group in new[] { "Alphabetic", "Ideographic", "Phonetic" })
                    {
                        var x = a.ValueKind == JsonValueKind.Object && a.TryGetProperty(group, out var g1) ? g1.GetString() : "";
                        var y = b.ValueKind == JsonValueKind.Object && b.TryGetProperty(group, out var g2) ? g2.GetString() : "";
                        if (x != y) differences.Add($"{at}: {group} '{x}' vs pydicom '{y}'");
                    }
                    break;
                case "DS" or "IS" or "FD" or "FL":
                    var tolerance = vr == "FL" ? 1e-6 : 1e-12;
                    if (!NumbersMatch(a, b, tolerance)) differences.Add($"{at}: {a.GetRawText()} vs pydicom {b.GetRawText()}");
                    break;
                default:
                    var s1 = a.ValueKind == JsonValueKind.Null ? "" : a.ValueKind == JsonValueKind.String ? a.GetString() : a.GetRawText();
                    var s2 = b.ValueKind == JsonValueKind.Null ? "" : b.ValueKind == JsonValueKind.String ? b.GetString() : b.GetRawText();
                    if (s1 != s2) differences.Add($"{at}: {a.GetRawText()} vs pydicom {b.GetRawText()}");
                    break;
            }
        }
    }

    private static bool NumbersMatch(JsonElement a, JsonElement b, double tolerance)
    {
        if (a.ValueKind == JsonValueKind.Null || b.ValueKind == JsonValueKind.Null) return a.ValueKind == b.ValueKind || (b.ValueKind == JsonValueKind.String && b.GetString() == "");
        if (!TryNumber(a, out var x) || !TryNumber(b, out var y)) return a.GetRawText() == b.GetRawText();
        return x == y || Math.Abs(x - y) <= tolerance * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    private static bool TryNumber(JsonElement e, out double value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number ? e.TryGetDouble(out value)
            : e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string? Short(string? s) => s is null ? "(none)" : s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>Compares a data set read from pydicom's JSON with the file's, value by value.</summary>
    private static void CompareDatasets(DicomDataset expected, DicomDataset actual, string where, List<string> differences)
    {
        foreach (var e in expected)
        {
            if (e.Tag.IsGroupLength) continue;
            var at = $"{where} {e.Tag}".Trim();
            if (!actual.TryGetElement(e.Tag, out var a))
            {
                differences.Add($"{at}: missing");
                continue;
            }
            if (a.VR != e.VR)
            {
                differences.Add($"{at}: VR {a.VR} vs file {e.VR}");
                continue;
            }
            switch (e)
            {
                case DicomSequence s:
                    var items = ((DicomSequence)a).Items;
                    if (items.Count != s.Items.Count) differences.Add($"{at}: {items.Count} items vs file {s.Items.Count}");
                    else for (var i = 0; i < items.Count; i++) CompareDatasets(s.Items[i], items[i], $"{at}[{i}]", differences);
                    break;
                case DicomValueElement v when v.VR is DicomVR.DS or DicomVR.IS or DicomVR.FL or DicomVR.FD:
                    var x = expected.GetValues<double>(e.Tag);
                    var y = actual.GetValues<double>(e.Tag);
                    if (x.Length != y.Length || x.Zip(y).Any(p => Math.Abs(p.First - p.Second) > 1e-6 * Math.Max(1, Math.Abs(p.First))))
                        differences.Add($"{at}: {string.Join('\\', y)} vs file {string.Join('\\', x)}");
                    break;
                case DicomValueElement v when v.VR == DicomVR.PN:
                    // pydicom writes the empty trailing groups the file stores ("…=王^小東="); they read back without them.
                    var names = expected.GetStrings(e.Tag).Select(n => n.TrimEnd('='));
                    var back = actual.GetStrings(e.Tag).Select(n => n.TrimEnd('='));
                    if (!names.SequenceEqual(back)) differences.Add($"{at}: '{string.Join('\\', back)}' vs file '{string.Join('\\', names)}'");
                    break;
                case DicomValueElement v when v.VR.IsText():
                    if (!expected.GetStrings(e.Tag).SequenceEqual(actual.GetStrings(e.Tag)))
                        differences.Add($"{at}: '{actual.GetString(e.Tag)}' vs file '{expected.GetString(e.Tag)}'");
                    break;
                case DicomValueElement v:
                    var bytes = ((DicomValueElement)a).Buffer.GetMemory().ToArray();
                    if (!bytes.AsSpan().SequenceEqual(v.Buffer.GetMemory().Span)) differences.Add($"{at}: bytes differ");
                    break;
            }
        }
    }
}
