using System.Collections.Frozen;
using System.Text;

namespace RadBridge.Dicom.Tests.Text;

/// <summary>
/// Our GB18030 and GBK lookup tables against .NET's code pages over the whole code space: identical except for the
/// GB 18030-2022 corrections (Data/gb18030-2022.tsv).
/// </summary>
public class ChineseCodecTableTests
{
    private static readonly FrozenDictionary<char, char> ToStandard = Gb18030Overlay.ToStandard;

    private static Encoding CodePage(int codePage, EncoderFallback? encoderFallback = null)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage, encoderFallback ?? EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("\uFFFD"));
    }

    [Theory]
    [InlineData("GB18030", 54936)]
    [InlineData("GBK", 936)]
    public void Every_two_byte_code_decodes_as_the_code_page_says_after_the_2022_corrections(string term, int codePage)
    {
        var ours = DicomTextEncoding.FromSpecificCharacterSet([term]);
        var net = CodePage(codePage);
        var bytes = new byte[2];
        var corrected = 0;
        for (var lead = 0x81; lead <= 0xFE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFE; trail++)
            {
                if (trail == 0x7F) continue;
                bytes[0] = (byte)lead;
                bytes[1] = (byte)trail;
                var expected = net.GetString(bytes);
                if (expected.Length == 1 && ToStandard.TryGetValue(expected[0], out var standard))
                {
                    expected = standard.ToString();
                    corrected++;
                }
                Assert.True(expected == ours.Decode(bytes, DicomVR.LO), $"{term} {lead:X2}{trail:X2}");
            }
        }
        Assert.Equal(ToStandard.Count, corrected);
    }

    [Fact]
    public void Every_four_byte_BMP_code_decodes_as_the_code_page_says()
    {
        var ours = DicomTextEncoding.FromSpecificCharacterSet(["GB18030"]);
        var net = CodePage(54936);
        var bytes = new byte[4];
        for (var linear = 0; linear < 39420; linear++)
        {
            bytes[0] = (byte)(0x81 + linear / 12600);
            bytes[1] = (byte)(0x30 + linear % 12600 / 1260);
            bytes[2] = (byte)(0x81 + linear % 1260 / 10);
            bytes[3] = (byte)(0x30 + linear % 10);
            Assert.True(net.GetString(bytes) == ours.Decode(bytes, DicomVR.LO), Hex.Of(bytes));
        }
    }

    [Fact]
    public void Every_BMP_character_encodes_in_GB18030_as_GB18030_2022_says()
    {
        var ours = DicomTextEncoding.FromSpecificCharacterSet(["GB18030"]);
        var net = CodePage(54936);
        var toPrivateUse = ToStandard.ToDictionary(p => p.Value, p => p.Key);
        for (var c = 0x80; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            var ch = (char)c;
            // 2022: a corrected character takes the two-byte code .NET gives its private-use stand-in, and that
            // private-use character takes the four-byte code .NET gives the corrected character (a swap).
            var expected = toPrivateUse.TryGetValue(ch, out var privateUse) ? net.GetBytes(privateUse.ToString())
                : ToStandard.TryGetValue(ch, out var standard) ? net.GetBytes(standard.ToString())
                : net.GetBytes(ch.ToString());
            Assert.True(Hex.Of(expected) == Hex.Of(ours.Encode(ch.ToString(), DicomVR.LO)), $"U+{c:X4}");
        }
    }

    [Fact]
    public void Every_BMP_character_GBK_holds_encodes_as_code_page_936_says()
    {
        var ours = DicomTextEncoding.FromSpecificCharacterSet(["GBK"]);
        var net = CodePage(936, new EncoderReplacementFallback("?"));
        var toPrivateUse = ToStandard.ToDictionary(p => p.Value, p => p.Key);
        for (var c = 0x80; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            var ch = (char)c;
            var mapped = toPrivateUse.TryGetValue(ch, out var privateUse) ? privateUse : ch;
            var expected = net.GetBytes(mapped.ToString());
            // Not in GBK: what the code page replaces, the private-use stand-ins of corrected codes, and the euro sign
            // that code page 936 writes as the single byte 80 (no GBK code).
            var inGbk = expected is not [(byte)'?'] && !ToStandard.ContainsKey(ch) && expected.Length == 2;
            Assert.True(inGbk == ours.CanEncode(ch.ToString(), DicomVR.LO), $"U+{c:X4}");
            if (inGbk) Assert.True(Hex.Of(expected) == Hex.Of(ours.Encode(ch.ToString(), DicomVR.LO)), $"U+{c:X4}");
        }
    }
}
