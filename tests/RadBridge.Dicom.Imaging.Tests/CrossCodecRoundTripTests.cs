using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests;

/// <summary>
/// The sample families that hold the same pixels in several encodings (MR_small*, SC_rgb*, the 16-bit two-frame RGB
/// pair; see the samples' README): from every member, every lossless codec, then the next lossless codec directly
/// (codec to codec, no native step), then native again, all keep the family's one pixel hash.
/// </summary>
public class CrossCodecRoundTripTests
{
    /// <summary>Lossless members of the families, grouped by their shared hash.</summary>
    private static readonly IReadOnlyList<IGrouping<string, ExpectedPixels>> Families = ExpectedPixels.All
        .Where(e => !e.Lossy && (e.Name.StartsWith("MR_small", StringComparison.Ordinal) || e.Name.StartsWith("SC_rgb", StringComparison.Ordinal)))
        .GroupBy(e => e.Sha256)
        .Where(g => g.Count() >= 2)
        .ToList();

    public static TheoryData<string> Members()
    {
        var rows = new TheoryData<string>();
        foreach (var family in Families)
            foreach (var member in family) rows.Add(member.Name);
        return rows;
    }

    [Fact]
    public void The_families_share_pixels_across_encodings()
    {
        // MR_small in 7 encodings (native x4, RLE, JPEG-LS, JPEG 2000), SC_rgb in 3 (native, RLE, JPEG lossless), the 16-bit pair.
        Assert.Equal([7, 3, 2], Families.Select(f => f.Count()).OrderDescending());
        Assert.True(Families.SelectMany(f => f).Select(e => e.TransferSyntaxUid).Distinct().Count() >= 7);
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void Every_lossless_codec_and_codec_to_codec_keeps_the_family_hash(string name)
    {
        var sample = ExpectedPixels.For(name);
        var source = DicomFile.Open(sample.Path);
        var syntaxes = PixelCodecRegistry.Default.TransferSyntaxUids
            .Where(uid => !DicomTransferSyntax.Lookup(uid).IsLossy && PixelCodecRegistry.Default.Get(uid).CanEncode(uid)).Order(StringComparer.Ordinal).ToList();
        Assert.True(syntaxes.Count >= 8, $"only {syntaxes.Count} lossless encoders");
        var transcoder = new DicomTranscoder();
        for (var i = 0; i < syntaxes.Count; i++)
        {
            var first = DicomTransferSyntax.Lookup(syntaxes[i]);
            var second = DicomTransferSyntax.Lookup(syntaxes[(i + 1) % syntaxes.Count]);
            var once = WriteAndRead(transcoder.Transcode(source, first));
            Assert.True(sample.Sha256 == PixelHash.Compute(once), $"{name} -> {first}");
            var twice = WriteAndRead(transcoder.Transcode(once, second));
            Assert.Equal(second, twice.TransferSyntax);
            Assert.True(sample.Sha256 == PixelHash.Compute(twice), $"{name} -> {first} -> {second}");
            var native = WriteAndRead(transcoder.Transcode(twice, DicomTransferSyntax.ExplicitVRLittleEndian));
            Assert.True(sample.Sha256 == PixelHash.Compute(native), $"{name} -> {first} -> {second} -> native");
        }
    }

    private static DicomFile WriteAndRead(DicomFile file)
    {
        var stream = new MemoryStream();
        file.WriteTo(stream);
        stream.Position = 0;
        return DicomFile.Read(stream);
    }
}
