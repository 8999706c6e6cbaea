using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests;

/// <summary>docs/CONFORMANCE.md's transfer syntax table lists every known syntax and says "no" exactly where the default registry has no codec.</summary>
public class ConformanceTableTests
{
    [Fact]
    public void Every_transfer_syntax_has_a_row_whose_decode_and_encode_columns_match_the_registry()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "CONFORMANCE.md"));
        var rows = text.Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length == 8 && c[2].StartsWith("1.2.840.10008.1.2", StringComparison.Ordinal))
            .ToDictionary(c => c[2], c => (Decode: c[4], Encode: c[5]));
        foreach (var ts in DicomTransferSyntax.All)
        {
            if (ts.Uid is "1.2.840.10008.1.2.6.1" or "1.2.840.10008.1.2.6.2")
            {
                Assert.Contains(ts.Uid, text, StringComparison.Ordinal); // named as not a file encoding
                continue;
            }
            Assert.True(rows.TryGetValue(ts.Uid, out var row), $"no row for {ts}");
            var codec = PixelCodecRegistry.Default.Find(ts.Uid);
            // JPIP syntaxes carry a URL to the pixels, not pixels, so "native" does not apply to them.
            var native = !ts.IsEncapsulated && !ts.ToString().Contains("JPIP", StringComparison.Ordinal);
            var decodes = native || codec is not null;
            var encodes = native || codec?.CanEncode(ts.Uid) == true;
            Assert.True(decodes == !row.Decode.StartsWith("no", StringComparison.Ordinal), $"{ts}: decode column '{row.Decode}'");
            Assert.True(encodes == !row.Encode.StartsWith("no", StringComparison.Ordinal), $"{ts}: encode column '{row.Encode}'");
        }
    }
}
