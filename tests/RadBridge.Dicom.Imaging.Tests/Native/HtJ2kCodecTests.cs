using System.Buffers.Binary;
using System.Text;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.HtJ2k;

namespace RadBridge.Dicom.Imaging.Tests.Native;

public class HtJ2kCodecTests
{
    private readonly HtJ2kCodec _codec = new();

    public static TheoryData<string> Samples() => new(Sample.WithTransferSyntax(HtJ2kCodec.LosslessUid, HtJ2kCodec.LosslessRpclUid, HtJ2kCodec.LossyUid));

    public static TheoryData<string, string> NativeSamplesBothLosslessSyntaxes()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in CodecChecks.NativeSamples())
        {
            data.Add(name, HtJ2kCodec.LosslessUid);
            data.Add(name, HtJ2kCodec.LosslessRpclUid);
        }
        return data;
    }

    [Fact]
    public void Default_registry_picks_HTJ2K_for_its_three_syntaxes()
    {
        foreach (var uid in new[] { HtJ2kCodec.LosslessUid, HtJ2kCodec.LosslessRpclUid, HtJ2kCodec.LossyUid })
            Assert.IsType<HtJ2kCodec>(PixelCodecRegistry.Default.Get(uid));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_decodes_to_its_ground_truth(string fileName) => CodecChecks.DecodesToGroundTruth(_codec, fileName);

    [Theory]
    [MemberData(nameof(NativeSamplesBothLosslessSyntaxes))]
    public void Lossless_round_trip_through_OpenJPH_then_OpenJPEG_is_bit_exact(string fileName, string uid)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(uid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default);
        Assert.Equal(sample.Info.SamplesPerPixel == 3 ? "YBR_RCT" : sample.Info.PhotometricInterpretation, encoded.PhotometricInterpretation);
        var decoded = new byte[sample.Frames[0].Length];
        var photometric = _codec.Decode(uid, encoded.Data, sample.Info with { PhotometricInterpretation = encoded.PhotometricInterpretation }, 0, decoded);
        Assert.Equal(sample.Info.PhotometricInterpretation, photometric);
        Assert.Equal(sample.Frames[0], decoded);
    }

    [Fact]
    public void RPCL_codestream_has_RPCL_order_a_thumbnail_resolution_and_a_TLM_marker()
    {
        var sample = Sample.Load("CT_small.dcm");
        var data = _codec.Encode(HtJ2kCodec.LosslessRpclUid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default).Data;
        var markers = MainHeaderMarkers(data);
        Assert.Contains(0xFF55, markers.Keys); // TLM
        var cod = markers[0xFF52];
        Assert.Equal(2, cod[3]); // SGcod progression order: 2 = RPCL
        var levels = cod[7];
        Assert.True((sample.Info.Columns >> levels) <= 64 && (sample.Info.Rows >> levels) <= 64, $"{levels} decompositions");
        // The TLM's one tile-part length must be the SOT's Psot.
        var tlm = markers[0xFF55];
        var sot = markers[0xFF90];
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(sot.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(tlm.AsSpan(6)));
    }

    [Theory]
    [InlineData("CT_small.dcm", 8)]
    [InlineData("SC_rgb.dcm", 6)]
    public void Lossy_meets_the_ratio_with_bounded_error(string fileName, double ratio)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(HtJ2kCodec.LossyUid, sample.Frames[0], sample.Info, new PixelEncodeOptions { CompressionRatio = ratio });
        Assert.Equal(sample.Info.SamplesPerPixel == 3 ? "YBR_ICT" : sample.Info.PhotometricInterpretation, encoded.PhotometricInterpretation);
        Assert.InRange(encoded.Data.Length, 1, sample.Frames[0].Length * sample.Info.BitsStored / sample.Info.BitsAllocated / ratio);
        var decoded = new byte[sample.Frames[0].Length];
        _codec.Decode(HtJ2kCodec.LossyUid, encoded.Data, sample.Info with { PhotometricInterpretation = encoded.PhotometricInterpretation }, 0, decoded);
        var count = decoded.Length / sample.Info.BytesPerSample;
        double squares = 0;
        for (var i = 0; i < count; i++) squares += Math.Pow(Sample.Value(decoded, i, sample.Info) - Sample.Value(sample.Frames[0], i, sample.Info), 2);
        var (min, max, _) = Sample.Stats([sample.Frames[0]], sample.Info);
        var rms = Math.Sqrt(squares / count);
        Assert.True(rms > 0 && rms < 0.04 * (max - min), $"RMS error {rms:F2} over a range of {max - min}");
    }

    [Theory]
    [InlineData("chrH31.dcm", HtJ2kCodec.LosslessUid)]
    [InlineData("emri_small.dcm", HtJ2kCodec.LosslessRpclUid)]
    [InlineData("SC_rgb.dcm", HtJ2kCodec.LosslessUid)]
    public void Our_codestreams_decode_with_OpenJPH_ojph_expand_to_the_same_pixels(string fileName, string uid)
    {
        var sample = Sample.Load(fileName);
        var encoded = _codec.Encode(uid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default);
        using var temp = new ExternalTool.TempFolder();
        File.WriteAllBytes(temp.File("ours.j2c"), encoded.Data);
        var output = temp.File(sample.Info.SamplesPerPixel == 3 ? "theirs.ppm" : "theirs.pgm");
        ExternalTool.Run("ojph_expand", "-i", temp.File("ours.j2c"), "-o", output);
        var theirs = ReadPnm(File.ReadAllBytes(output), sample.Info.BytesPerSample);
        Assert.Equal(sample.Frames[0], theirs);
    }

    [Fact]
    public void Fuzzed_codestreams_fail_with_PixelCodecException_only()
    {
        var sample = Sample.Load("MR_small.dcm");
        var encoded = _codec.Encode(HtJ2kCodec.LosslessUid, sample.Frames[0], sample.Info, PixelEncodeOptions.Default);
        CodecChecks.Fuzz(_codec, HtJ2kCodec.LosslessUid, encoded.Data, sample.Info, 180, 99, TimeSpan.FromSeconds(2));
        var rgb = Sample.Load("HTJ2KLossless_08_RGB.dcm");
        CodecChecks.Fuzz(_codec, rgb.TransferSyntaxUid, rgb.Frames[0], rgb.Info, 40, 7, TimeSpan.FromSeconds(2));
    }

    /// <summary>Marker segments of the main header (up to the first SOT, included), by marker, bodies after the length.</summary>
    private static Dictionary<int, byte[]> MainHeaderMarkers(byte[] codestream)
    {
        var result = new Dictionary<int, byte[]>();
        var at = 2;
        while (true)
        {
            var marker = BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(at));
            var length = BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(at + 2));
            result.TryAdd(marker, codestream.AsSpan(at + 2, length).ToArray());
            if (marker == 0xFF90) return result;
            at += 2 + length;
        }
    }

    /// <summary>PGM/PPM samples (16-bit ones big endian) as little-endian samples of <paramref name="bytesPerSample"/>.</summary>
    private static byte[] ReadPnm(byte[] file, int bytesPerSample)
    {
        var fields = 0;
        var at = 0;
        while (fields < 4)
        {
            while (char.IsWhiteSpace((char)file[at])) at++;
            while (!char.IsWhiteSpace((char)file[at])) at++;
            fields++;
        }
        at++; // the single whitespace after maxval
        var header = Encoding.ASCII.GetString(file, 0, at).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var wide = int.Parse(header[3], System.Globalization.CultureInfo.InvariantCulture) > 255;
        var data = file.AsSpan(at);
        if (!wide) return bytesPerSample == 1 ? data.ToArray() : [.. data.ToArray().SelectMany(b => new[] { b, (byte)0 })];
        var result = new byte[data.Length];
        for (var i = 0; i + 1 < data.Length; i += 2) { result[i] = data[i + 1]; result[i + 1] = data[i]; }
        return result;
    }
}
