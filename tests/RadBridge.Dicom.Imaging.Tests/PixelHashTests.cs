using System.Buffers.Binary;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests;

/// <summary>
/// The pixel hash of every sample with ground truth: exact for native and lossless syntaxes whose codec is registered,
/// mean/min/max within tolerance for lossy ones, and a clear refusal for syntaxes without a codec (no silent skips:
/// a codec registered later moves its samples into the checked rows automatically).
/// </summary>
public class PixelHashTests
{
    public static TheoryData<string> Decodable() => Rows(decodable: true);
    public static TheoryData<string> WithoutCodec() => Rows(decodable: false);

    private static TheoryData<string> Rows(bool decodable)
    {
        var rows = new TheoryData<string>();
        foreach (var e in ExpectedPixels.All)
            if (IsDecodable(e) == decodable) rows.Add(e.Name);
        if (rows.Count == 0) rows.Add("(none)");
        return rows;
    }

    private static bool IsDecodable(ExpectedPixels e)
    {
        var ts = DicomFile.Open(e.Path).TransferSyntax;
        return !ts.IsEncapsulated || PixelCodecRegistry.Default.Find(ts.Uid) is not null;
    }

    [Theory]
    [MemberData(nameof(Decodable))]
    public void Decoded_pixels_match_the_independent_decoders(string name)
    {
        if (name == "(none)") return;
        var expected = ExpectedPixels.For(name);
        var pixels = DicomPixelData.Create(DicomFile.Open(expected.Path));
        if (!expected.Lossy)
        {
            Assert.Equal(expected.Sha256, PixelHash.Compute(pixels));
            return;
        }
        // Lossy streams decode slightly differently from decoder to decoder (README): compare statistics.
        var (mean, min, max) = Statistics(pixels);
        var range = Math.Max(1, expected.Max - expected.Min);
        Assert.InRange(mean, expected.Mean - 0.02 * range, expected.Mean + 0.02 * range);
        Assert.InRange(min, expected.Min - 0.1 * range, expected.Min + 0.1 * range);
        Assert.InRange(max, expected.Max - 0.1 * range, expected.Max + 0.1 * range);
    }

    [Theory]
    [MemberData(nameof(WithoutCodec))]
    public void Samples_without_a_registered_codec_are_refused_by_name(string name)
    {
        if (name == "(none)") return;
        var file = DicomFile.Open(ExpectedPixels.For(name).Path);
        var pixels = DicomPixelData.Create(file);
        Assert.True(pixels.GetEncodedFrame(0).Length > 0); // the codestream itself is still reachable
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => pixels.DecodeFrame(0));
        Assert.Equal($"no codec for transfer syntax {file.TransferSyntax}", ex.Message);
    }

    [Fact]
    public async Task Asynchronous_hash_equals_the_synchronous_one()
    {
        var expected = ExpectedPixels.For("NM-MONO2-16-13x-heart");
        var pixels = DicomPixelData.Create(await DicomFile.OpenAsync(expected.Path));
        Assert.Equal(expected.Sha256, await PixelHash.ComputeAsync(pixels));
    }

    private static (double Mean, double Min, double Max) Statistics(DicomPixelData pixels)
    {
        var info = pixels.Info;
        double sum = 0, min = double.MaxValue, max = double.MinValue;
        long count = 0;
        for (var f = 0; f < pixels.FrameCount; f++)
        {
            var data = pixels.DecodeFrame(f).Data;
            for (var i = 0; i < data.Length; i += info.BytesPerSample)
            {
                var v = Sample(data.AsSpan(i), info);
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                count++;
            }
        }
        return (sum / count, min, max);
    }

    private static double Sample(ReadOnlySpan<byte> b, PixelDataInfo info) => (info.BytesPerSample, info.IsSigned) switch
    {
        (1, false) => b[0],
        (1, true) => (sbyte)b[0],
        (2, false) => BinaryPrimitives.ReadUInt16LittleEndian(b),
        (2, true) => BinaryPrimitives.ReadInt16LittleEndian(b),
        (4, _) when info.IsFloat => BinaryPrimitives.ReadSingleLittleEndian(b),
        (4, false) => BinaryPrimitives.ReadUInt32LittleEndian(b),
        (4, true) => BinaryPrimitives.ReadInt32LittleEndian(b),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
    };
}
