using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.Jpeg;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>Every JPEG sample of the shared corpus decodes to the pixels DCMTK and GDCM decoded (expected/*.json).</summary>
public class JpegSampleDecodeTests
{
    public static TheoryData<string> Lossless => [.. JpegSample.WithTransferSyntax(JpegCodec.Lossless, JpegCodec.LosslessSV1)];
    public static TheoryData<string> Lossy => [.. JpegSample.WithTransferSyntax(JpegCodec.Baseline, JpegCodec.Extended)];

    private static (List<byte[]> Frames, string Photometric) DecodeAll(JpegSample sample)
    {
        var codec = PixelCodecRegistry.Default.Get(sample.TransferSyntax);
        var frames = new List<byte[]>();
        var photometric = "";
        for (var i = 0; i < sample.Frames.Count; i++)
        {
            var decoded = new byte[JpegSample.DecodedLength(sample.Info)];
            photometric = codec.Decode(sample.TransferSyntax, sample.Frames[i], sample.Info, i, decoded);
            frames.Add(decoded);
        }
        return (frames, photometric);
    }

    [Theory]
    [MemberData(nameof(Lossless))]
    public void Lossless_sample_decodes_to_the_exact_reference_pixels(string fileName)
    {
        var sample = JpegSample.Load(fileName);
        var (frames, photometric) = DecodeAll(sample);
        Assert.Equal(sample.Pixel.GetProperty("decoded_photometric_interpretation").GetString(), photometric);
        Assert.Equal(sample.Pixel.GetProperty("sha256").GetString(), JpegSample.PixelHash(frames, sample.Info));
    }

    [Theory]
    [MemberData(nameof(Lossy))]
    public void Lossy_sample_decodes_to_the_reference_statistics(string fileName)
    {
        var sample = JpegSample.Load(fileName);
        var (frames, photometric) = DecodeAll(sample);
        Assert.Equal(sample.Pixel.GetProperty("decoded_photometric_interpretation").GetString(), photometric);
        double sum = 0;
        long count = 0;
        int min = int.MaxValue, max = int.MinValue;
        foreach (var frame in frames)
            foreach (var v in JpegSample.Samples(frame, sample.Info))
            {
                sum += v;
                count++;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        // Lossy decoders may differ by one step of rounding per sample (IDCT and colour conversion).
        var mean = sample.Pixel.GetProperty("mean").GetDouble();
        Assert.InRange(sum / count, mean - 0.5, mean + 0.5);
        Assert.InRange(min, sample.Pixel.GetProperty("min").GetDouble() - 2, sample.Pixel.GetProperty("min").GetDouble() + 2);
        Assert.InRange(max, sample.Pixel.GetProperty("max").GetDouble() - 2, sample.Pixel.GetProperty("max").GetDouble() + 2);
    }
}
