using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.JpegLs;

namespace RadBridge.Dicom.Imaging.Tests.Native;

public class JpegLsCodecTests
{
    private readonly JpegLsCodec _codec = new();

    public static TheoryData<string> Samples() => new(Sample.WithTransferSyntax(JpegLsCodec.LosslessUid, JpegLsCodec.NearLosslessUid));

    public static TheoryData<string> NativeSamples() => CodecChecks.NativeSamples();

    [Fact]
    public void Default_registry_picks_CharLS_for_both_syntaxes()
    {
        Assert.IsType<JpegLsCodec>(PixelCodecRegistry.Default.Get(JpegLsCodec.LosslessUid));
        Assert.IsType<JpegLsCodec>(PixelCodecRegistry.Default.Get(JpegLsCodec.NearLosslessUid));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_decodes_to_its_ground_truth(string fileName) => CodecChecks.DecodesToGroundTruth(_codec, fileName);

    [Theory]
    [MemberData(nameof(NativeSamples))]
    public void Lossless_round_trip_is_bit_exact(string fileName)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(JpegLsCodec.LosslessUid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default);
        Assert.Equal(sample.Info.PhotometricInterpretation, encoded.PhotometricInterpretation);
        var decoded = new byte[sample.Frames[0].Length];
        _codec.Decode(JpegLsCodec.LosslessUid, encoded.Data, sample.Info, 0, decoded);
        Assert.Equal(sample.Frames[0], decoded);
    }

    [Theory]
    [InlineData("CT_small.dcm", 3)]
    [InlineData("SC_rgb.dcm", 2)]
    [InlineData("chrH31.dcm", 1)]
    public void Near_lossless_stays_within_NEAR_and_compresses_more(string fileName, int near)
    {
        var sample = Sample.Load(fileName);
        var lossless = _codec.Encode(JpegLsCodec.LosslessUid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default);
        var lossy = _codec.Encode(JpegLsCodec.NearLosslessUid, sample.Frames[0], sample.Info, new PixelEncodeOptions { NearLossless = near });
        var decoded = new byte[sample.Frames[0].Length];
        _codec.Decode(JpegLsCodec.NearLosslessUid, lossy.Data, sample.Info, 0, decoded);
        Assert.InRange(Sample.MaxError(sample.Frames[0], decoded, sample.Info), 0, near);
        Assert.True(lossy.Data.Length < lossless.Data.Length, $"near-lossless {lossy.Data.Length} bytes vs lossless {lossless.Data.Length}");
    }

    [Theory]
    [InlineData("CT_small.dcm", JpegLsCodec.LosslessUid)]
    [InlineData("SC_rgb.dcm", JpegLsCodec.LosslessUid)]
    [InlineData("emri_small.dcm", JpegLsCodec.NearLosslessUid)]
    public void Our_files_decode_with_DCMTK_dcmdjpls_to_the_same_pixels(string fileName, string uid)
    {
        var sample = Sample.Load(fileName);
        using var temp = new ExternalTool.TempFolder();
        var encoded = NativeFileFixtures.WriteEncapsulated(fileName, _codec, uid, temp.File("ours.dcm"));
        ExternalTool.Run("dcmdjpls", temp.File("ours.dcm"), temp.File("dcmtk.dcm"));
        var dcmtk = Sample.Load(temp.File("dcmtk.dcm"));
        var ours = new byte[sample.Frames[0].Length];
        _codec.Decode(uid, encoded.Data, sample.Info, 0, ours);
        Assert.Equal(ours, dcmtk.Frames[0]);
    }

    [Fact]
    public void Fuzzed_codestreams_fail_with_PixelCodecException_only()
    {
        foreach (var name in new[] { "MR_small_jpeg_ls_lossless.dcm", "JLSL_RGB_ILV0.dcm", "SC_rgb_jls_lossy_line.dcm" })
        {
            var sample = Sample.Load(name);
            CodecChecks.Fuzz(_codec, sample.TransferSyntaxUid, sample.Frames[0], sample.Info, 80, 4711, TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public void A_codestream_that_disagrees_with_the_data_set_is_refused_before_decoding()
    {
        var sample = Sample.Load("MR_small_jpeg_ls_lossless.dcm");
        var wrong = sample.Info with { Rows = sample.Info.Rows * 2 };
        var ex = Assert.Throws<PixelCodecException>(() =>
            _codec.Decode(sample.TransferSyntaxUid, sample.Frames[0], wrong, 0, new byte[wrong.Rows * wrong.Columns * 2]));
        Assert.Contains("the data set says", ex.Message, StringComparison.Ordinal);
    }
}
