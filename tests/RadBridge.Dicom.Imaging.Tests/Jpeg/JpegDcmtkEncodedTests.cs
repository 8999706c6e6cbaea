using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>
/// Streams made by DCMTK's encoder (dcmcjpeg), decoded by our codec: lossless with every predictor and with a
/// point transform exactly as dcmdjpeg decodes them, lossy within one step.
/// </summary>
public class JpegDcmtkEncodedTests
{
    private static (DicomPixelData Ours, byte[] Theirs) EncodeWithDcmtk(string sampleName, params string[] options)
    {
        var encoded = Path.Combine(Path.GetTempPath(), $"radbridge-dcmcjpeg-{Guid.NewGuid():N}.dcm");
        try
        {
            Dcmdjpeg.Run("dcmcjpeg", [.. options, TestPaths.Sample(sampleName), encoded]);
            var file = DicomFile.Read(new MemoryStream(File.ReadAllBytes(encoded)));
            return (DicomPixelData.Create(file), Dcmdjpeg.DecodeFile(encoded));
        }
        finally
        {
            File.Delete(encoded);
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("4")]
    [InlineData("5")]
    [InlineData("6")]
    [InlineData("7")]
    public void Dcmtk_lossless_stream_with_each_predictor_decodes_to_the_original(string predictor)
    {
        var original = PixelHash.Compute(DicomFile.Open(TestPaths.Sample("CT_small.dcm")));
        var (ours, theirs) = EncodeWithDcmtk("CT_small.dcm", "+el", "+sv", predictor);
        Assert.Equal(original, PixelHash.Compute(ours));
        Assert.Equal(0, JpegSample.MaxDifference(ours.DecodeFrame(0).Data, theirs[..(int)ours.DecodedFrameLength], ours.Info));
    }

    [Fact]
    public void Dcmtk_lossless_stream_with_a_point_transform_decodes_as_dcmdjpeg_does()
    {
        var (ours, theirs) = EncodeWithDcmtk("MR_small.dcm", "+el", "+sv", "7", "+pt", "3");
        Assert.Equal(0, JpegSample.MaxDifference(ours.DecodeFrame(0).Data, theirs[..(int)ours.DecodedFrameLength], ours.Info));
    }

    [Theory]
    [InlineData("examples_overlay.dcm", "+ee")] // 12-bit extended: managed decoder
    [InlineData("SC_rgb.dcm", "+eb")]           // 8-bit colour baseline: libjpeg-turbo
    [InlineData("NM-MONO2-16-13x-heart.dcm", "+ee")]
    public void Dcmtk_lossy_stream_decodes_within_one_of_dcmdjpeg(string sampleName, string process)
    {
        var (ours, theirs) = EncodeWithDcmtk(sampleName, process);
        var length = (int)ours.DecodedFrameLength;
        for (var i = 0; i < ours.FrameCount; i++)
            Assert.InRange(JpegSample.MaxDifference(ours.DecodeFrame(i).Data, theirs[(i * length)..((i + 1) * length)], ours.Info), 0, 1);
    }
}
