using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests.Interop;

/// <summary>
/// Our RLE decoder and encoder against pydicom and DCMTK: RLE samples transcoded to native read back identically in
/// pydicom and dcmdump; native samples we RLE-encode decompress with DCMTK's dcmdrle to the expected pixels.
/// </summary>
public class RleInteropTests
{
    private static readonly DicomTransferSyntax Rle = DicomTransferSyntax.Lookup(RleCodec.TransferSyntaxUid);

    private static IEnumerable<ExpectedPixels> RleSamples =>
        ExpectedPixels.All.Where(e => e.TransferSyntaxUid == RleCodec.TransferSyntaxUid);

    /// <summary>Native samples RLE can carry (integer, Bits Allocated 8/16/32).</summary>
    private static IEnumerable<ExpectedPixels> RleEncodableNativeSamples => ExpectedPixels.All.Where(e =>
    {
        var file = DicomFile.Open(e.Path);
        if (file.TransferSyntax.IsEncapsulated) return false;
        var info = PixelDataInfo.FromDataset(file.Dataset);
        return !info.IsFloat && info.BitsAllocated != 1;
    });

    [Fact]
    public void Rle_samples_transcoded_to_explicit_little_endian_read_the_same_in_pydicom_and_dcmdump()
    {
        using var temp = ExternalTools.NewTempFolder();
        var samples = RleSamples.ToList();
        Assert.True(samples.Count >= 5, $"only {samples.Count} RLE samples");
        var outputs = new List<string>();
        foreach (var sample in samples)
        {
            var output = temp.File(sample.Name + ".dcm");
            new DicomTranscoder().Transcode(DicomFile.Open(sample.Path), DicomTransferSyntax.ExplicitVRLittleEndian).Save(output);
            outputs.Add(output);

            var (code, stdout, stderr) = ExternalTools.Run("dcmdump", "-q", "+W", temp.Path, output);
            Assert.True(code == 0 && stderr.Length == 0, $"dcmdump rejected {sample.Name}: {stderr}");
            Assert.Contains("=LittleEndianExplicit", stdout, StringComparison.Ordinal);
            // dcmdump +W writes the pixel data value as DCMTK read it: it must be our decoded frames byte for byte.
            var raw = Directory.GetFiles(temp.Path, Path.GetFileName(output) + ".*.raw").Single();
            var pixels = DicomPixelData.Create(DicomFile.Open(sample.Path));
            var expected = Enumerable.Range(0, pixels.FrameCount).SelectMany(f => pixels.DecodeFrame(f).Data).ToArray();
            Assert.Equal(expected, File.ReadAllBytes(raw));
            File.Delete(raw);
        }
        var hashes = ExternalTools.PydicomPixelHashes([.. outputs]);
        for (var i = 0; i < samples.Count; i++) Assert.True(samples[i].Sha256 == hashes[i], $"{samples[i].Name}: pydicom hash {hashes[i]}");
    }

    [Fact]
    public void Our_rle_files_decompress_with_dcmtk_dcmdrle_and_pydicom_to_the_expected_pixels()
    {
        using var temp = ExternalTools.NewTempFolder();
        var samples = RleEncodableNativeSamples.ToList();
        Assert.True(samples.Count >= 15, $"only {samples.Count} native samples");
        var encoded = new List<string>();
        var decompressed = new List<string>();
        foreach (var sample in samples)
        {
            var rle = temp.File(sample.Name + ".rle.dcm");
            new DicomTranscoder().Transcode(DicomFile.Open(sample.Path), Rle).Save(rle);
            var native = temp.File(sample.Name + ".drle.dcm");
            var (code, _, stderr) = ExternalTools.Run("dcmdrle", rle, native);
            Assert.True(code == 0, $"dcmdrle rejected our RLE encoding of {sample.Name}: {stderr}");
            encoded.Add(rle);
            decompressed.Add(native);
        }
        var fromDcmtk = ExternalTools.PydicomPixelHashes([.. decompressed]);
        var fromPydicom = ExternalTools.PydicomPixelHashes([.. encoded]);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.True(samples[i].Sha256 == fromDcmtk[i], $"{samples[i].Name}: dcmdrle output hashes to {fromDcmtk[i]}");
            Assert.True(samples[i].Sha256 == fromPydicom[i], $"{samples[i].Name}: pydicom's RLE decoder gives {fromPydicom[i]}");
        }
    }
}
