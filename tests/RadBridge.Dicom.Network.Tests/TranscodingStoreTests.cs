using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// The Storage SCU transcodes compressed files for peers that accept only uncompressed syntaxes: the received pixels
/// decode to the same bytes as the original's, and every other attribute arrives unchanged.
/// </summary>
public sealed class TranscodingStoreTests
{
    /// <summary>One lossless sample per codec family: JPEG-LS, JPEG 2000, RLE (greyscale and RGB), JPEG lossless SV1.</summary>
    public static TheoryData<string> CompressedSamples => new()
    {
        "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm", "MR_small_RLE.dcm", "SC_rgb_rle.dcm", "MR-JPEGLosslessSV1.dcm",
    };

    /// <summary>Attributes the transcoder must change: the pixels themselves (compared by hash) and the colour layout of decoded frames.</summary>
    private static readonly DicomTag[] Changed =
    [
        DicomTags.PixelData, DicomTags.PhotometricInterpretation, DicomTags.PlanarConfiguration,
        DicomTags.ExtendedOffsetTable, DicomTags.ExtendedOffsetTableLengths,
    ];

    [Theory]
    [MemberData(nameof(CompressedSamples))]
    public async Task Dcmtk_storescp_accepting_only_uncompressed_receives_the_decoded_instance(string name)
    {
        using var storescp = new Dcmtk.StoreScp(acceptAll: false);
        var source = StoreSource.Open(TestPaths.Sample(name));
        Assert.True(source.TransferSyntax.IsEncapsulated);
        var association = await DicomClient.ConnectAsync("127.0.0.1", storescp.Port, new DicomClientOptions { CalledAeTitle = "STORESCP" }, StorageScu.Propose([source]));
        await using (association)
        {
            Assert.True((await association.StoreAsync(source)).IsSuccess);
            await association.ReleaseAsync();
        }
        AssertDecodedCopy(source, Assert.Single(Directory.GetFiles(storescp.Directory)));
    }

    [Theory]
    [MemberData(nameof(CompressedSamples))]
    public async Task Our_scp_accepting_only_uncompressed_receives_the_decoded_instance(string name)
    {
        await using var scp = new TestScp(o => o with { AcceptTransferSyntax = TransferSyntaxPolicies.Uncompressed });
        var source = StoreSource.Open(TestPaths.Sample(name));
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions(), StorageScu.Propose([source]));
        await using (association)
        {
            Assert.True((await association.StoreAsync(source)).IsSuccess);
            await association.ReleaseAsync();
        }
        AssertDecodedCopy(source, scp.Handler.Stored[source.SopInstanceUid]);
    }

    [Fact]
    public async Task An_scp_accepting_the_compressed_syntax_receives_the_file_unchanged()
    {
        // Our SCP accepts every syntax and takes the first proposed: the file's own context wins over the fallback.
        await using var scp = new TestScp();
        var source = StoreSource.Open(TestPaths.Sample("MR_small_jpeg_ls_lossless.dcm"));
        var proposal = StorageScu.Propose([source]);
        Assert.Equal(2, proposal.Contexts.Count);
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions(), proposal);
        await using (association)
        {
            Assert.True((await association.StoreAsync(source)).IsSuccess);
            await association.ReleaseAsync();
        }
        var received = StoreSource.Open(scp.Handler.Stored[source.SopInstanceUid]);
        Assert.Equal(source.TransferSyntax, received.TransferSyntax);
        Assert.Equal(File.ReadAllBytes(source.Path).AsSpan((int)source.DataSetOffset), File.ReadAllBytes(received.Path).AsSpan((int)received.DataSetOffset));
    }

    [Fact]
    public async Task A_compressed_file_no_codec_decodes_fails_naming_its_transfer_syntax()
    {
        // JPEG XL has no codec here: no uncompressed fallback is proposed, and the SCP refuses JPEG XL.
        await using var scp = new TestScp(o => o with { AcceptTransferSyntax = TransferSyntaxPolicies.Uncompressed });
        var source = StoreSource.Open(TestPaths.Sample("will-jxl.dcm"));
        Assert.False(source.CanSendAs(DicomTransferSyntax.ExplicitVRLittleEndian));
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions(), StorageScu.Propose([source]));
        await using (association)
        {
            var ex = await Assert.ThrowsAsync<DicomNetworkException>(() => association.StoreAsync(source));
            Assert.Contains(source.TransferSyntax.Name, ex.Message, StringComparison.Ordinal);
            await association.ReleaseAsync();
        }
        Assert.Empty(scp.Handler.Stored);
    }

    [Fact]
    public async Task A_native_file_is_never_transcoded_to_a_lossy_syntax_implicitly()
    {
        // The SCP accepts only JPEG Baseline; the SCU may not degrade the image to fit, so the instance fails, by name.
        const string jpegBaseline = "1.2.840.10008.1.2.4.50";
        await using var scp = new TestScp(o => o with { AcceptTransferSyntax = (_, ts) => ts.Uid == jpegBaseline });
        var source = StoreSource.Open(TestPaths.Sample("MR_small.dcm"));
        Assert.False(source.CanSendAs(DicomTransferSyntax.Lookup(jpegBaseline)));
        var proposal = new PresentationContextProposal().Add(source.SopClassUid, jpegBaseline);
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions(), proposal);
        await using (association)
        {
            var ex = await Assert.ThrowsAsync<DicomNetworkException>(() => association.StoreAsync(source));
            Assert.Contains(source.TransferSyntax.Name, ex.Message, StringComparison.Ordinal);
            await association.ReleaseAsync();
        }
        Assert.Empty(scp.Handler.Stored);
    }

    private static void AssertDecodedCopy(StoreSource source, string receivedPath)
    {
        var original = DicomFile.Open(source.Path);
        var received = DicomFile.Open(receivedPath);
        Assert.False(received.TransferSyntax.IsEncapsulated, $"{Path.GetFileName(source.Path)} arrived in {received.TransferSyntax}");
        Assert.Equal(PixelHash.Compute(original), PixelHash.Compute(received));
        var expected = original.Dataset.Clone();
        var actual = received.Dataset.Clone();
        foreach (var tag in Changed)
        {
            expected.Remove(tag);
            actual.Remove(tag);
        }
        Assert.Empty(DatasetComparer.Differences(expected, actual));
        // Decoding changes the colour layout only for YBR sources (the codec hands back RGB).
        var photometric = original.Dataset.GetString(DicomTags.PhotometricInterpretation) ?? "";
        if (!photometric.StartsWith("YBR", StringComparison.Ordinal)) Assert.Equal(photometric, received.Dataset.GetString(DicomTags.PhotometricInterpretation));
        // A lossless source stays lossless: Lossy Image Compression is exactly what the original said (or absent).
        Assert.Equal(original.Dataset.GetString(DicomTags.LossyImageCompression), received.Dataset.GetString(DicomTags.LossyImageCompression));
    }
}
