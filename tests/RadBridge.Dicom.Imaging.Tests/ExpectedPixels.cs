using System.Text.Json;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests;

/// <summary>The <c>pixel</c> block of a sample's expected/&lt;name&gt;.json (values from pydicom, DCMTK, GDCM).</summary>
internal sealed record ExpectedPixels(string Name, string? TransferSyntaxUid, string Sha256, bool Lossy, double Mean, double Min, double Max)
{
    /// <summary>Every sample whose sidecar has a pixel hash, in name order.</summary>
    public static IReadOnlyList<ExpectedPixels> All { get; } = Load();

    public static ExpectedPixels For(string name) => All.Single(e => e.Name == name);

    public string Path => TestPaths.Sample(Name + ".dcm");

    private static ExpectedPixels[] Load()
    {
        var result = new List<ExpectedPixels>();
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(TestPaths.Samples, "expected"), "*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = json.RootElement;
            if (!root.TryGetProperty("pixel", out var pixel) || pixel.ValueKind != JsonValueKind.Object
                || !pixel.TryGetProperty("sha256", out var sha) || sha.ValueKind != JsonValueKind.String) continue;
            var ts = root.TryGetProperty("transfer_syntax_uid", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var lossy = pixel.TryGetProperty("lossy_transfer_syntax", out var l) && l.ValueKind == JsonValueKind.True;
            result.Add(new ExpectedPixels(System.IO.Path.GetFileNameWithoutExtension(file), ts, sha.GetString()!, lossy,
                pixel.GetProperty("mean").GetDouble(), pixel.GetProperty("min").GetDouble(), pixel.GetProperty("max").GetDouble()));
        }
        return [.. result];
    }
}
