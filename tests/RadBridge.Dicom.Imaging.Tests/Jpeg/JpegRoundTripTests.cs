using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.Jpeg;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>
/// Native samples encoded by the codec, decoded by the codec and by DCMTK's dcmdjpeg: lossless round trips are
/// exact (the sidecar's pixel hash of the original), lossy ones stay close to the original and agree with DCMTK.
/// </summary>
public class JpegRoundTripTests
{
    private static readonly JpegCodec Codec = new();

    public static TheoryData<string, string> LosslessCases => new()
    {
        { "CT_small.dcm", JpegCodec.LosslessSV1 },          // signed 16-bit
        { "CT_small.dcm", JpegCodec.Lossless },
        { "MR_small.dcm", JpegCodec.LosslessSV1 },
        { "SC_rgb.dcm", JpegCodec.LosslessSV1 },            // RGB 8-bit, no colour transform
        { "SC_rgb.dcm", JpegCodec.Lossless },
        { "chrFrenMulti.dcm", JpegCodec.Lossless },         // 8-bit grey
        { "examples_overlay.dcm", JpegCodec.Lossless },     // 12 bits in 16, 484x300
        { "NM-MONO2-16-13x-heart.dcm", JpegCodec.LosslessSV1 }, // unsigned 16-bit, 13 frames
        { "emri_small.dcm", JpegCodec.Lossless },           // 12-bit, 10 frames
    };

    public static TheoryData<string, string, double> LossyCases => new()
    {
        { "SC_rgb.dcm", JpegCodec.Baseline, 30 },
        { "chrFrenMulti.dcm", JpegCodec.Baseline, 30 },
        { "chrFrenMulti.dcm", JpegCodec.Extended, 30 },     // 8-bit frames in .51 take the 8-bit path
        { "examples_overlay.dcm", JpegCodec.Extended, 40 }, // 12-bit managed DCT encoder
        { "emri_small.dcm", JpegCodec.Extended, 40 },
    };

    private static List<byte[]> Decode(IReadOnlyList<byte[]> encoded, string uid, PixelDataInfo info, out string photometric)
    {
        var frames = new List<byte[]>();
        photometric = "";
        for (var i = 0; i < encoded.Count; i++)
        {
            var decoded = new byte[JpegSample.DecodedLength(info)];
            photometric = Codec.Decode(uid, encoded[i], info, i, decoded);
            frames.Add(decoded);
        }
        return frames;
    }

    [Theory]
    [MemberData(nameof(LosslessCases))]
    public void Lossless_round_trip_is_exact_through_our_decoder_and_dcmdjpeg(string fileName, string uid)
    {
        var sample = JpegSample.Load(fileName);
        var expectedHash = sample.Pixel.GetProperty("sha256").GetString();
        var encoded = sample.Frames.Select(f => Codec.Encode(uid, f, sample.Info, PixelEncodeOptions.Default)).ToList();
        Assert.All(encoded, e => Assert.Equal(sample.Info.PhotometricInterpretation, e.PhotometricInterpretation));

        var info = sample.Info with { PhotometricInterpretation = encoded[0].PhotometricInterpretation };
        var ours = Decode([.. encoded.Select(e => e.Data)], uid, info, out var photometric);
        Assert.Equal(sample.Info.PhotometricInterpretation, photometric);
        Assert.Equal(expectedHash, JpegSample.PixelHash(ours, sample.Info));

        var path = Dcmdjpeg.WriteEncapsulated(sample.Dataset, [.. encoded.Select(e => e.Data)], encoded[0].PhotometricInterpretation, uid, lossy: false);
        try
        {
            var theirs = Dcmdjpeg.DecodeFile(path);
            var length = JpegSample.DecodedLength(sample.Info);
            var theirFrames = Enumerable.Range(0, sample.Frames.Count).Select(i => theirs.AsSpan(i * length, length).ToArray());
            Assert.Equal(expectedHash, JpegSample.PixelHash(theirFrames, sample.Info));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(LossyCases))]
    public void Lossy_round_trip_stays_close_and_dcmdjpeg_agrees_within_one(string fileName, string uid, double minimumPsnr)
    {
        var sample = JpegSample.Load(fileName);
        var encoded = sample.Frames.Select(f => Codec.Encode(uid, f, sample.Info, PixelEncodeOptions.Default)).ToList();
        var expectedPhotometric = sample.Info.SamplesPerPixel == 3 ? "YBR_FULL_422" : sample.Info.PhotometricInterpretation;
        Assert.All(encoded, e => Assert.Equal(expectedPhotometric, e.PhotometricInterpretation));

        var info = sample.Info with { PhotometricInterpretation = expectedPhotometric };
        var ours = Decode([.. encoded.Select(e => e.Data)], uid, info, out var photometric);
        Assert.Equal(sample.Info.PhotometricInterpretation, photometric);

        var original = sample.Frames.SelectMany(f => JpegSample.Samples(f, sample.Info)).ToArray();
        var decoded = ours.SelectMany(f => JpegSample.Samples(f, sample.Info)).ToArray();
        var peak = (1 << sample.Info.BitsStored) - 1;
        var mse = original.Zip(decoded, (a, b) => (double)(a - b) * (a - b)).Average();
        var psnr = 10 * Math.Log10(peak * (double)peak / Math.Max(mse, 1e-9));
        Assert.True(psnr >= minimumPsnr, $"PSNR {psnr:F1} dB < {minimumPsnr} dB");
        Assert.InRange(decoded.Average() - original.Average(), -1.0, 1.0);

        var path = Dcmdjpeg.WriteEncapsulated(sample.Dataset, [.. encoded.Select(e => e.Data)], expectedPhotometric, uid, lossy: true);
        try
        {
            var theirs = JpegSample.Samples(Dcmdjpeg.DecodeFile(path)[..(JpegSample.DecodedLength(sample.Info) * sample.Frames.Count)], sample.Info);
            Assert.Equal(decoded.Length, theirs.Length);
            var worst = decoded.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1, $"our decode and dcmdjpeg's differ by up to {worst}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(JpegSampleDecodeTests.Lossy), MemberType = typeof(JpegSampleDecodeTests))]
    public void Lossy_sample_decodes_within_one_of_dcmdjpeg(string fileName)
    {
        var sample = JpegSample.Load(fileName);
        var native = Dcmdjpeg.DecodeFile(Path.Combine(RadBridge.Dicom.Tests.TestPaths.Samples, fileName));
        var length = JpegSample.DecodedLength(sample.Info);
        Assert.True(native.Length >= length * sample.Frames.Count); // an odd-length value ends with a padding byte
        for (var i = 0; i < sample.Frames.Count; i++)
        {
            var decoded = new byte[length];
            Codec.Decode(sample.TransferSyntax, sample.Frames[i], sample.Info, i, decoded);
            var worst = JpegSample.MaxDifference(decoded, native[(i * length)..((i + 1) * length)], sample.Info);
            Assert.True(worst <= 1, $"frame {i}: our decode and dcmdjpeg's differ by up to {worst}");
        }
    }

    /// <summary>
    /// Regression: a 16-bit frame where a neighbour differs by exactly 32768 (air at -1024 beside bone in a signed CT
    /// does it) made the predictor choice throw OverflowException (Math.Abs of short.MinValue) instead of encoding.
    /// </summary>
    [Theory]
    [InlineData(JpegCodec.Lossless)]
    [InlineData(JpegCodec.LosslessSV1)]
    public void A_difference_of_exactly_32768_encodes_and_round_trips(string uid)
    {
        var info = new PixelDataInfo
        {
            Rows = 4, Columns = 4, SamplesPerPixel = 1, BitsAllocated = 16, BitsStored = 16, HighBit = 15,
            IsSigned = true, PhotometricInterpretation = "MONOCHROME2",
        };
        short[] values = [-1024, -1024, -1024, -1024, -1024, -1024, 31744, -1024, 0, -32768, 0, 32767, 1, 2, 3, 4];
        var frame = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(2 * i), values[i]);
        var encoded = Codec.Encode(uid, frame, info, PixelEncodeOptions.Default);
        var decoded = new byte[frame.Length];
        Codec.Decode(uid, encoded.Data, info, 0, decoded);
        Assert.Equal(frame, decoded);
    }
}
