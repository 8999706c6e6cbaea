using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests;

public class DicomTranscoderTests
{
    private static readonly DicomTransferSyntax[] NativeSyntaxes =
    [
        DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRBigEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
    ];

    public static TheoryData<string> NativeSamples()
    {
        var rows = new TheoryData<string>();
        foreach (var e in ExpectedPixels.All)
            if (!DicomFile.Open(e.Path).TransferSyntax.IsEncapsulated) rows.Add(e.Name);
        return rows;
    }

    [Theory]
    [MemberData(nameof(NativeSamples))]
    public void Native_samples_keep_their_pixels_in_every_native_syntax_and_through_rle(string name)
    {
        var sample = ExpectedPixels.For(name);
        var file = DicomFile.Open(sample.Path);
        var info = PixelDataInfo.FromDataset(file.Dataset);
        var transcoder = new DicomTranscoder();
        foreach (var syntax in NativeSyntaxes)
        {
            var reread = WriteAndRead(transcoder.Transcode(file, syntax));
            Assert.Equal(syntax, reread.TransferSyntax);
            Assert.True(sample.Sha256 == PixelHash.Compute(reread), $"{name} in {syntax}");
        }
        if (info.IsFloat || info.BitsAllocated == 1) return; // RLE cannot carry them (RleCodecTests pins the refusal)
        var rle = WriteAndRead(transcoder.Transcode(file, DicomTransferSyntax.Lookup(RleCodec.TransferSyntaxUid)));
        Assert.Equal(sample.Sha256, PixelHash.Compute(rle));
        Assert.Equal(file.Dataset.GetString(DicomTags.SOPInstanceUID), rle.Dataset.GetString(DicomTags.SOPInstanceUID));
        if (info.SamplesPerPixel == 3) Assert.Equal(0, rle.Dataset.GetValue<int>(DicomTags.PlanarConfiguration));
        Assert.Equal(sample.Sha256, PixelHash.Compute(WriteAndRead(transcoder.Transcode(rle, DicomTransferSyntax.ExplicitVRBigEndian))));
    }

    [Fact]
    public void Ybr_full_422_native_becomes_ybr_full_when_encapsulated()
    {
        var file = DicomFile.Open(ExpectedPixels.For("SC_ybr_full_422_uncompressed").Path);
        var rle = new DicomTranscoder().Transcode(file, DicomTransferSyntax.Lookup(RleCodec.TransferSyntaxUid));
        Assert.Equal("YBR_FULL", rle.Dataset.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal("1.2.840.10008.1.2.5", WriteAndRead(rle).FileMetaInformation.GetString(new DicomTag(0x0002, 0x0010)));
    }

    [Fact]
    public void Lossy_encoding_records_its_history_and_makes_a_new_instance()
    {
        var registry = new PixelCodecRegistry();
        registry.Register(new HighByteCodec());
        var file = DicomFile.Open(ExpectedPixels.For("CT_small").Path);
        var oldUid = file.Dataset.GetString(DicomTags.SOPInstanceUID);
        var transcoder = new DicomTranscoder(registry);
        var lossy = DicomTransferSyntax.Lookup(HighByteCodec.Uid);
        var once = WriteAndRead(transcoder.Transcode(file, lossy));
        var native = WriteAndRead(transcoder.Transcode(once, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal("01", native.Dataset.GetString(DicomTags.LossyImageCompression)); // decoding never clears the flag
        var twice = WriteAndRead(transcoder.Transcode(native, lossy));

        Assert.Equal("01", twice.Dataset.GetString(DicomTags.LossyImageCompression));
        Assert.Equal(["ISO_10918_1", "ISO_10918_1"], twice.Dataset.GetStrings(DicomTags.LossyImageCompressionMethod));
        var ratios = twice.Dataset.GetValues<double>(DicomTags.LossyImageCompressionRatio);
        Assert.Equal([2.0, 2.0], ratios);
        var newUid = twice.Dataset.GetString(DicomTags.SOPInstanceUID);
        Assert.NotEqual(oldUid, newUid);
        Assert.NotEqual(once.Dataset.GetString(DicomTags.SOPInstanceUID), newUid);
        Assert.Equal(newUid, twice.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0003)));
    }

    [Fact]
    public void A_target_without_a_codec_is_refused_by_name()
    {
        var file = DicomFile.Open(ExpectedPixels.For("CT_small").Path);
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => new DicomTranscoder(new PixelCodecRegistry()).Transcode(file, DicomTransferSyntax.Lookup("1.2.840.10008.1.2.4.80")));
        Assert.Equal("no codec for transfer syntax JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80)", ex.Message);
    }

    private static DicomFile WriteAndRead(DicomFile file)
    {
        var stream = new MemoryStream();
        file.WriteTo(stream);
        stream.Position = 0;
        return DicomFile.Read(stream);
    }

    /// <summary>
    /// A deliberately lossy test codec under the JPEG Baseline UID (keeps only the high byte of each 16-bit sample,
    /// exactly 2:1), so the transcoder's lossy bookkeeping is checked without depending on the JPEG codec.
    /// </summary>
    private sealed class HighByteCodec : IPixelCodec
    {
        public const string Uid = "1.2.840.10008.1.2.4.50";
        public string Name => "test lossy";
        public IReadOnlyCollection<string> TransferSyntaxUids => [Uid];
        public bool CanEncode(string transferSyntaxUid) => true;

        public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
        {
            for (var i = 0; i < encoded.Length; i++)
            {
                destination[2 * i] = 0;
                destination[2 * i + 1] = encoded[i];
            }
            return info.PhotometricInterpretation;
        }

        public EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
        {
            var high = new byte[frame.Length / 2];
            for (var i = 0; i < high.Length; i++) high[i] = frame[2 * i + 1];
            return new EncodedFrame(high, info.PhotometricInterpretation);
        }
    }
}
