using System.Text.Json;

namespace RadBridge.Dicom.Tests.Json;

/// <summary>
/// An independent check of a document against the DICOM JSON Model rules of PS3.18 F.2 (written from the standard's
/// text, not from the writer): attribute names, their order, "vr", the one value property and the JSON type of values.
/// </summary>
internal static class JsonModelCheck
{
    private static readonly HashSet<string> Vrs =
    [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN",
        "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    ];

    private static readonly HashSet<string> InlineBinaryVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "UN"];
    private static readonly HashSet<string> BulkDataVrs = ["DS", "FL", "FD", "IS", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "SL", "SS", "ST", "SV", "UC", "UL", "UN", "US", "UT", "UV"];
    private static readonly HashSet<string> NumberVrs = ["FL", "FD", "SL", "SS", "UL", "US"];

    public static List<string> Problems(JsonElement dataset, string where = "")
    {
        var problems = new List<string>();
        Check(dataset, where, problems);
        return problems;
    }

    private static void Check(JsonElement dataset, string where, List<string> problems)
    {
        if (dataset.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: a data set is a {dataset.ValueKind}");
            return;
        }
        string? previous = null;
        foreach (var attribute in dataset.EnumerateObject())
        {
            var key = attribute.Name;
            var at = where + "/" + key;
            if (key.Length != 8 || !key.All(c => char.IsAsciiDigit(c) || (c >= 'A' && c <= 'F'))) problems.Add($"{at}: name is not eight upper-case hex digits");
            if (previous is not null && string.CompareOrdinal(previous, key) >= 0) problems.Add($"{at}: not in ascending order after {previous}");
            if (key.EndsWith("0000", StringComparison.Ordinal)) problems.Add($"{at}: group length written");
            previous = key;
            CheckAttribute(attribute.Value, at, problems);
        }
    }

    private static void CheckAttribute(JsonElement a, string at, List<string> problems)
    {
        if (a.ValueKind != JsonValueKind.Object || !a.TryGetProperty("vr", out var vrElement) || vrElement.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{at}: no \"vr\"");
            return;
        }
        var vr = vrElement.GetString()!;
        if (!Vrs.Contains(vr)) problems.Add($"{at}: vr {vr} unknown");
        var kinds = a.EnumerateObject().Select(p => p.Name).Where(n => n is "Value" or "InlineBinary" or "BulkDataURI").ToList();
        if (kinds.Count > 1) problems.Add($"{at}: {string.Join(" and ", kinds)}");
        if (a.TryGetProperty("InlineBinary", out var inline))
        {
            if (!InlineBinaryVrs.Contains(vr)) problems.Add($"{at}: InlineBinary for {vr}");
            try
            {
                Convert.FromBase64String(inline.GetString()!);
            }
            catch (FormatException)
            {
                problems.Add($"{at}: InlineBinary is not base64");
            }
        }
        if (a.TryGetProperty("BulkDataURI", out var uri) && (!BulkDataVrs.Contains(vr) || !Uri.IsWellFormedUriString(uri.GetString(), UriKind.Absolute)))
            problems.Add($"{at}: BulkDataURI for {vr} or not an absolute URI");
        if (!a.TryGetProperty("Value", out var value)) return;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            problems.Add($"{at}: Value is not a non-empty array");
            return;
        }
        if (InlineBinaryVrs.Contains(vr)) problems.Add($"{at}: Value for {vr}");
        var i = 0;
        foreach (var v in value.EnumerateArray())
        {
            var vat = $"{at}[{i++}]";
            if (vr == "SQ")
            {
                Check(v, vat, problems);
                continue;
            }
            if (v.ValueKind == JsonValueKind.Null) continue;
            switch (vr)
            {
                case "PN":
                    if (v.ValueKind != JsonValueKind.Object || v.EnumerateObject().Any(p => p.Name is not ("Alphabetic" or "Ideographic" or "Phonetic") || p.Value.ValueKind != JsonValueKind.String || p.Value.GetString()!.Length == 0))
                        problems.Add($"{vat}: PN value is not an object of non-empty component groups");
                    break;
                case "AT":
                    var s = v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
                    if (s.Length != 8 || !s.All(c => char.IsAsciiDigit(c) || (c >= 'A' && c <= 'F'))) problems.Add($"{vat}: AT value is not eight upper-case hex digits");
                    break;
                case "IS" or "DS" or "SV" or "UV":
                    if (v.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)) problems.Add($"{vat}: {vr} value is a {v.ValueKind}");
                    break;
                case "FL" or "FD":
                    // Numbers, or the strings NaN/Infinity/-Infinity (a documented extension: JSON has no such numbers).
                    if (v.ValueKind != JsonValueKind.Number && !(v.ValueKind == JsonValueKind.String && v.GetString() is "NaN" or "Infinity" or "-Infinity"))
                        problems.Add($"{vat}: {vr} value is a {v.ValueKind}");
                    break;
                default:
                    if (NumberVrs.Contains(vr) ? v.ValueKind != JsonValueKind.Number : v.ValueKind != JsonValueKind.String)
                        problems.Add($"{vat}: {vr} value is a {v.ValueKind}");
                    break;
            }
        }
    }
}
