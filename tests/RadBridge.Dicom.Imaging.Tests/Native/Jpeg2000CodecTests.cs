using System.Runtime.InteropServices;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.Jpeg2000;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Native;

public class Jpeg2000CodecTests
{
    private readonly Jpeg2000Codec _codec = new();

    public static TheoryData<string> Samples() => new(Sample.WithTransferSyntax(Jpeg2000Codec.LosslessUid, Jpeg2000Codec.LossyUid));

    public static TheoryData<string> NativeSamples() => CodecChecks.NativeSamples();

    [Fact]
    public void Default_registry_picks_OpenJPEG_for_both_syntaxes()
    {
        Assert.IsType<Jpeg2000Codec>(PixelCodecRegistry.Default.Get(Jpeg2000Codec.LosslessUid));
        Assert.IsType<Jpeg2000Codec>(PixelCodecRegistry.Default.Get(Jpeg2000Codec.LossyUid));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_decodes_to_its_ground_truth_or_fails_cleanly_when_nobody_could_decode_it(string fileName)
    {
        var sample = Sample.Load(fileName);
        if (sample.Expected.TryGetProperty("sha256", out _))
        {
            CodecChecks.DecodesToGroundTruth(_codec, fileName);
            return;
        }
        // Broken on purpose (no reference decoder produced pixels): a typed error, not a crash or garbage.
        Assert.True(SampleCorpus.IsOdd(TestPaths.Sample(fileName)), $"{fileName} has no ground truth but is not marked odd");
        Assert.Throws<PixelCodecException>(() => CodecChecks.DecodeAll(_codec, sample, out _));
    }

    [Theory]
    [MemberData(nameof(NativeSamples))]
    public void Lossless_round_trip_is_bit_exact_and_RGB_is_labelled_YBR_RCT(string fileName)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(Jpeg2000Codec.LosslessUid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default);
        Assert.Equal(sample.Info.SamplesPerPixel == 3 ? "YBR_RCT" : sample.Info.PhotometricInterpretation, encoded.PhotometricInterpretation);
        var decoded = new byte[sample.Frames[0].Length];
        var photometric = _codec.Decode(Jpeg2000Codec.LosslessUid, encoded.Data, sample.Info with { PhotometricInterpretation = encoded.PhotometricInterpretation }, 0, decoded);
        Assert.Equal(sample.Info.PhotometricInterpretation, photometric);
        Assert.Equal(sample.Frames[0], decoded);
    }

    [Theory]
    [InlineData("CT_small.dcm", 10)]
    [InlineData("SC_rgb.dcm", 8)]
    [InlineData("emri_small.dcm", 5)]
    public void Lossy_meets_the_ratio_with_bounded_error(string fileName, double ratio)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(Jpeg2000Codec.LossyUid, sample.Frames[0], sample.Info, new PixelEncodeOptions { CompressionRatio = ratio });
        Assert.Equal(sample.Info.SamplesPerPixel == 3 ? "YBR_ICT" : sample.Info.PhotometricInterpretation, encoded.PhotometricInterpretation);
        Assert.InRange(encoded.Data.Length, 1, sample.Frames[0].Length * sample.Info.BitsStored / sample.Info.BitsAllocated / ratio * 1.1);
        var decoded = new byte[sample.Frames[0].Length];
        _codec.Decode(Jpeg2000Codec.LossyUid, encoded.Data, sample.Info with { PhotometricInterpretation = encoded.PhotometricInterpretation }, 0, decoded);
        var count = decoded.Length / sample.Info.BytesPerSample;
        double squares = 0;
        for (var i = 0; i < count; i++) squares += Math.Pow(Sample.Value(decoded, i, sample.Info) - Sample.Value(sample.Frames[0], i, sample.Info), 2);
        var (min, max, _) = Sample.Stats([sample.Frames[0]], sample.Info);
        var rms = Math.Sqrt(squares / count);
        Assert.True(rms > 0, "lossy coding changed nothing: is it really irreversible?");
        Assert.True(rms < 0.03 * (max - min), $"RMS error {rms:F2} over a range of {max - min}");
    }

    [Theory]
    [InlineData("CT_small.dcm", Jpeg2000Codec.LosslessUid)]
    [InlineData("SC_rgb.dcm", Jpeg2000Codec.LosslessUid)]
    [InlineData("chrH31.dcm", Jpeg2000Codec.LossyUid)]
    [InlineData("SC_rgb.dcm", Jpeg2000Codec.LossyUid)]
    public void Our_codestreams_decode_with_opj_decompress_to_the_same_pixels(string fileName, string uid)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(uid, sample.Frames[0], sample.Info, new PixelEncodeOptions { CompressionRatio = 10 });
        using var temp = new ExternalTool.TempFolder();
        File.WriteAllBytes(temp.File("ours.j2k"), encoded.Data);
        ExternalTool.Run("opj_decompress", "-i", temp.File("ours.j2k"), "-o", temp.File("theirs.rawl"));
        var planes = File.ReadAllBytes(temp.File("theirs.rawl"));
        var ours = new byte[sample.Frames[0].Length];
        _codec.Decode(uid, encoded.Data, sample.Info with { PhotometricInterpretation = encoded.PhotometricInterpretation }, 0, ours);
        Assert.Equal(ours.Length, planes.Length);
        var pixels = sample.Info.Rows * sample.Info.Columns;
        var bytes = sample.Info.BytesPerSample;
        var theirs = new byte[planes.Length];
        for (var s = 0; s < sample.Info.SamplesPerPixel; s++)
            for (var p = 0; p < pixels; p++)
                planes.AsSpan((s * pixels + p) * bytes, bytes).CopyTo(theirs.AsSpan((p * sample.Info.SamplesPerPixel + s) * bytes));
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Fuzzed_codestreams_fail_with_PixelCodecException_only()
    {
        // 240 cases: mostly the small MR (fast), some of the 640x480 colour (multi-component transform) stream.
        foreach (var (name, cases) in new[] { ("MR_small_jp2klossless.dcm", 180), ("US1_J2KR.dcm", 60) })
        {
            var sample = Sample.Load(name);
            CodecChecks.Fuzz(_codec, sample.TransferSyntaxUid, sample.Frames[0], sample.Info, cases, 1234, TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public void A_codestream_that_disagrees_with_the_data_set_is_refused_before_decoding()
    {
        var sample = Sample.Load("MR_small_jp2klossless.dcm");
        var wrong = sample.Info with { Columns = sample.Info.Columns + 1 };
        var ex = Assert.Throws<PixelCodecException>(() =>
            _codec.Decode(sample.TransferSyntaxUid, sample.Frames[0], wrong, 0, new byte[wrong.Rows * wrong.Columns * 2]));
        Assert.Contains("the data set says", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Struct_layouts_and_parameter_offsets_match_the_installed_openjpeg_header()
    {
        using var temp = new ExternalTool.TempFolder();
        var fields = string.Join("\n", OpenJpegEncoderParameters.Offsets.Keys.Select(f => $"printf(\"{f} %zu\\n\", offsetof(opj_cparameters_t, {f}));"));
        File.WriteAllText(temp.File("probe.c"), $$"""
            #include <stdio.h>
            #include <stddef.h>
            #include <openjpeg.h>
            int main(void) {
                printf("cparameters %zu\n", sizeof(opj_cparameters_t));
                printf("dparameters %zu\n", sizeof(opj_dparameters_t));
                printf("image %zu\n", sizeof(opj_image_t));
                printf("image_comp %zu\n", sizeof(opj_image_comp_t));
                printf("image_comp.data %zu\n", offsetof(opj_image_comp_t, data));
                printf("image.comps %zu\n", offsetof(opj_image_t, comps));
                printf("cmptparm %zu\n", sizeof(opj_image_cmptparm_t));
                {{fields}}
                return 0;
            }
            """);
        ExternalTool.Run("gcc", "-I/usr/include/openjpeg-2.5", temp.File("probe.c"), "-o", temp.File("probe"));
        var actual = ExternalTool.Run(temp.File("probe")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(OpenJpegEncoderParameters.Size, actual["cparameters"]);
        Assert.Equal(OpenJpegNative.DecoderParametersSize, actual["dparameters"]);
        Assert.Equal(Marshal.SizeOf<OpenJpegNative.Image>(), actual["image"]);
        Assert.Equal(Marshal.SizeOf<OpenJpegNative.ImageComponent>(), actual["image_comp"]);
        Assert.Equal((int)Marshal.OffsetOf<OpenJpegNative.ImageComponent>(nameof(OpenJpegNative.ImageComponent.Data)), actual["image_comp.data"]);
        Assert.Equal((int)Marshal.OffsetOf<OpenJpegNative.Image>(nameof(OpenJpegNative.Image.Comps)), actual["image.comps"]);
        Assert.Equal(Marshal.SizeOf<OpenJpegNative.ImageComponentParameters>(), actual["cmptparm"]);
        foreach (var (field, offset) in OpenJpegEncoderParameters.Offsets) Assert.Equal(offset, actual[field]);
    }
}
