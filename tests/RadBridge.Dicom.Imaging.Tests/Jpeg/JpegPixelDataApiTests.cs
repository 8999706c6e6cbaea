using RadBridge.Dicom.Imaging.Codecs.Jpeg;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>The JPEG codec behind the library's own frame access, pixel hash and transcoder.</summary>
public class JpegPixelDataApiTests
{
    [Theory]
    [MemberData(nameof(JpegSampleDecodeTests.Lossless), MemberType = typeof(JpegSampleDecodeTests))]
    public void Lossless_file_hashes_to_the_reference_through_PixelHash(string fileName)
    {
        var sample = JpegSample.Load(fileName);
        Assert.Equal(sample.Pixel.GetProperty("sha256").GetString(), PixelHash.Compute(DicomFile.Open(TestPaths.Sample(fileName))));
    }

    [Theory]
    [InlineData("JPEGBaseline_1s_1f_u_08_08.dcm")]
    [InlineData("SC_rgb_jpeg_dcmtk.dcm")]
    [InlineData("SC_rgb_dcmtk_+eb+cy+np.dcm")]
    [InlineData("examples_ybr_color.dcm")]
    [InlineData("SC_rgb_small_odd_jpeg.dcm")]
    [InlineData("SC_jpeg_no_color_transform.dcm")]
    [InlineData("HasFragmentSequence.dcm")]
    public void Eight_bit_lossy_file_matches_dcmtk_bit_for_bit(string fileName)
    {
        // libjpeg-turbo with the accurate integer IDCT and fancy upsampling computes what IJG 6b (DCMTK) does.
        var sample = JpegSample.Load(fileName);
        Assert.Equal(sample.Pixel.GetProperty("sha256").GetString(), PixelHash.Compute(DicomFile.Open(TestPaths.Sample(fileName))));
    }

    [Theory]
    [InlineData(JpegCodec.LosslessSV1)]
    [InlineData(JpegCodec.Lossless)]
    public void Transcoding_to_lossless_jpeg_and_back_keeps_the_pixels(string uid)
    {
        var original = DicomFile.Open(TestPaths.Sample("CT_small.dcm"));
        var expected = PixelHash.Compute(original);
        var transcoder = new DicomTranscoder();
        var jpeg = transcoder.Transcode(original, DicomTransferSyntax.Lookup(uid));
        Assert.Equal(uid, jpeg.TransferSyntax.Uid);
        Assert.IsType<DicomFragmentSequence>(jpeg.Dataset[DicomTags.PixelData]);
        Assert.Equal(expected, PixelHash.Compute(jpeg));
        var back = transcoder.Transcode(jpeg, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(expected, PixelHash.Compute(back));
    }
}
