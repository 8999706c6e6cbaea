using System.Diagnostics;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.Jpeg;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>
/// Damaged codestreams (truncated, bits flipped, hostile headers) fail with a <see cref="PixelCodecException"/>
/// that names the codec and the frame, quickly, on every coder path; they never crash, hang or over-allocate.
/// </summary>
public class JpegCorruptStreamTests
{
    private static readonly JpegCodec Codec = new();

    // One sample per coder path: libjpeg-turbo grey and 4:2:2 colour, managed 12-bit DCT, managed lossless
    // (signed 16-bit, 12-bit process 14 with another predictor, RGB).
    public static TheoryData<string> Streams => new()
    {
        "JPEGBaseline_1s_1f_u_08_08.dcm",
        "SC_rgb_dcmtk_+eb+cy+np.dcm",
        "JPGExtended.dcm",
        "GH184.dcm",
        "MR-JPEGLosslessSV1.dcm",
        "SC_rgb_jpeg_gdcm.dcm",
    };

    /// <summary>Decodes and returns null on success, or the codec's exception; anything else fails the test.</summary>
    private static PixelCodecException? TryDecode(JpegSample sample, byte[] stream, int frame = 7)
    {
        var destination = new byte[JpegSample.DecodedLength(sample.Info)];
        var clock = Stopwatch.StartNew();
        try
        {
            Codec.Decode(sample.TransferSyntax, stream, sample.Info, frame, destination);
            return null;
        }
        catch (PixelCodecException ex)
        {
            return ex;
        }
        finally
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"decoding took {clock.Elapsed}");
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Truncated_stream_fails_with_a_codec_error_naming_the_frame(string fileName)
    {
        var sample = JpegSample.Load(fileName);
        var stream = sample.Frames[0];
        // Cut inside the headers, at the start of the entropy-coded data and part-way through it.
        foreach (var length in new[] { 0, 1, 2, 20, stream.Length / 4, stream.Length / 2, (stream.Length * 3) / 4, stream.Length - 64 })
        {
            var ex = TryDecode(sample, stream[..Math.Max(0, length)]);
            Assert.True(ex is not null, $"{fileName} cut to {length} of {stream.Length} bytes decoded without error");
            Assert.Equal("JPEG", ex.Codec);
            Assert.Equal(7, ex.Frame);
            Assert.StartsWith("JPEG: frame 7: ", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Flipped_bits_give_pixels_or_a_codec_error_never_anything_else(string fileName)
    {
        var sample = JpegSample.Load(fileName);
        var random = new Random(1234);
        var failures = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var stream = (byte[])sample.Frames[0].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                var bit = random.Next(stream.Length * 8);
                stream[bit / 8] ^= (byte)(1 << (bit % 8));
            }
            if (TryDecode(sample, stream) is not null) failures++;
        }
        Assert.True(failures > 0, "no damaged stream was detected at all");
    }

    [Fact]
    public void Frame_header_larger_than_the_data_set_is_refused_before_allocating()
    {
        var sample = JpegSample.Load("MR-JPEGLosslessSV1.dcm");
        var stream = (byte[])sample.Frames[0].Clone();
        var sof = FindMarker(stream, 0xC3);
        stream[sof + 5] = stream[sof + 6] = stream[sof + 7] = stream[sof + 8] = 0xFF; // 65535 x 65535
        var ex = TryDecode(sample, stream);
        Assert.NotNull(ex);
        Assert.Contains("65535x65535", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_precision_beyond_bits_allocated_is_refused()
    {
        var sample = JpegSample.Load("JPEGBaseline_1s_1f_u_08_08.dcm");
        var ex = TryDecode(sample, sample.Frames[0]);
        Assert.Null(ex);
        var stream = (byte[])sample.Frames[0].Clone();
        var sof = FindMarker(stream, 0xC0);
        stream[sof + 4] = 12; // 12-bit samples into an 8-bit data set
        ex = TryDecode(sample, stream);
        Assert.NotNull(ex);
        Assert.Contains("precision 12 exceeds Bits Allocated 8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Progressive_12_bit_stream_is_refused_by_name()
    {
        var sample = JpegSample.Load("JPGExtended.dcm");
        var stream = (byte[])sample.Frames[0].Clone();
        stream[FindMarker(stream, 0xC1) + 1] = 0xC2;
        var ex = TryDecode(sample, stream);
        Assert.NotNull(ex);
        Assert.Contains("SOF2 (progressive)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoding_refuses_what_the_syntax_cannot_hold()
    {
        var sample = JpegSample.Load("CT_small.dcm"); // signed 16-bit
        var ex = Assert.Throws<PixelCodecException>(() => Codec.Encode(JpegCodec.Baseline, sample.Frames[0], sample.Info, PixelEncodeOptions.Default));
        Assert.Contains("8-bit samples", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<PixelCodecException>(() => Codec.Encode(JpegCodec.Extended, sample.Frames[0], sample.Info, PixelEncodeOptions.Default));
        Assert.Contains("signed", ex.Message, StringComparison.Ordinal);
        Assert.Throws<UnsupportedTransferSyntaxException>(() => Codec.Encode("1.2.840.10008.1.2.4.80", sample.Frames[0], sample.Info, PixelEncodeOptions.Default));
    }

    [Fact]
    public void Registry_holds_the_codec_for_the_four_jpeg_syntaxes()
    {
        foreach (var uid in new[] { JpegCodec.Baseline, JpegCodec.Extended, JpegCodec.Lossless, JpegCodec.LosslessSV1 })
        {
            Assert.IsType<JpegCodec>(PixelCodecRegistry.Default.Get(uid));
            Assert.True(PixelCodecRegistry.Default.Get(uid).CanEncode(uid));
        }
    }

    private static int FindMarker(byte[] stream, byte marker)
    {
        for (var i = 0; i + 1 < stream.Length; i++)
            if (stream[i] == 0xFF && stream[i + 1] == marker) return i;
        throw new InvalidOperationException($"marker FF{marker:X2} not found");
    }
}
