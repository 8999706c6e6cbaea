using System.IO.Compression;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.HtJ2k;

namespace RadBridge.Dicom.Imaging.Tests.Interop;

/// <summary>
/// Whole Part 10 files our transcoder writes, in every lossless syntax it can encode, checked by software nobody here
/// wrote: each decodes with GDCM and/or DCMTK (or, where no Debian tool decodes the syntax, DCMTK extracts the
/// fragments and OpenJPH or zlib decodes them) to the input's pixels, and dciodvfy reports no error the input lacks.
/// </summary>
public class TranscodedFileInteropTests
{
    /// <summary>Grey 16-bit signed, grey 12-of-16 signed, RGB, multi-frame 8-bit palette, multi-frame 16-bit unsigned.</summary>
    private static readonly string[] Samples = ["CT_small", "MR_small", "SC_rgb", "US-PAL-8-10x-echo", "NM-MONO2-16-13x-heart"];

    /// <summary>
    /// Syntaxes the installed dicom3tools (dciodvfy) predates: it reads their pixel data as native and reports a
    /// dataset read failure, whoever wrote the file (DCMTK-written files of these syntaxes get the same errors).
    /// </summary>
    private static readonly HashSet<string> UnknownToDciodvfy =
        [HtJ2kCodec.LosslessUid, HtJ2kCodec.LosslessRpclUid, EncapsulatedUncompressedCodec.TransferSyntaxUid, DeflatedFrameCodec.TransferSyntaxUid];

    public static TheoryData<string> LosslessEncodableSyntaxes() => DicomTranscoderTests.LosslessEncodableSyntaxes();

    [Theory]
    [MemberData(nameof(LosslessEncodableSyntaxes))]
    public void Our_files_decode_elsewhere_to_the_same_pixels_and_dciodvfy_adds_no_error(string uid)
    {
        using var temp = ExternalTools.NewTempFolder();
        var decodedElsewhere = new List<(string Sample, string Tool, string Path)>();
        foreach (var name in Samples)
        {
            var sample = ExpectedPixels.For(name);
            var ours = temp.File($"{name}.dcm");
            new DicomTranscoder().Transcode(DicomFile.Open(sample.Path), DicomTransferSyntax.Lookup(uid)).Save(ours);

            foreach (var (tool, args) in NativeDecoders(uid))
            {
                var output = temp.File($"{name}.{tool}.dcm");
                var (code, _, stderr) = ExternalTools.Run(tool, [.. args, ours, output]);
                Assert.True(code == 0, $"{tool} could not decode our {name} in {uid}: {stderr}");
                decodedElsewhere.Add((name, tool, output));
            }
            if (uid is HtJ2kCodec.LosslessUid or HtJ2kCodec.LosslessRpclUid) AssertOjphExpandDecodes(temp, ours, sample);
            if (uid is EncapsulatedUncompressedCodec.TransferSyntaxUid or DeflatedFrameCodec.TransferSyntaxUid) AssertFragmentsHoldTheFrames(temp, ours, sample, uid);

            if (!UnknownToDciodvfy.Contains(uid))
            {
                var added = DciodvfyErrors(ours).Except(DciodvfyErrors(sample.Path)).ToList();
                Assert.True(added.Count == 0, $"dciodvfy on our {name} in {uid}: {string.Join(" | ", added)}");
            }
        }
        if (decodedElsewhere.Count == 0) return; // HTJ2K, encapsulated uncompressed, deflated frames: checked above
        var hashes = ExternalTools.PydicomPixelHashes([.. decodedElsewhere.Select(d => d.Path)]);
        for (var i = 0; i < hashes.Count; i++)
        {
            var (name, tool, _) = decodedElsewhere[i];
            Assert.True(ExpectedPixels.For(name).Sha256 == hashes[i], $"{tool} decodes our {name} in {uid} to other pixels");
        }
    }

    /// <summary>Debian's decoders of whole files per syntax: DCMTK's and GDCM's (GDCM 3.0.21 lacks HTJ2K and the two 2019+ syntaxes).</summary>
    private static IEnumerable<(string Tool, string[] Args)> NativeDecoders(string uid)
    {
        switch (uid)
        {
            case RleCodec.TransferSyntaxUid:
                yield return ("dcmdrle", []);
                break;
            case "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70":
                yield return ("dcmdjpeg", []);
                break;
            case "1.2.840.10008.1.2.4.80":
                yield return ("dcmdjpls", []);
                break;
        }
        if (uid is RleCodec.TransferSyntaxUid or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" or "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.90")
            yield return ("gdcmconv", ["--raw"]);
    }

    /// <summary>DCMTK splits our file into its items (dcmdump +W); OpenJPH's ojph_expand decodes each frame's codestream.</summary>
    private static void AssertOjphExpandDecodes(ExternalTools.TempFolder temp, string ours, ExpectedPixels sample)
    {
        var frames = DcmtkFragments(temp, ours);
        var expected = DicomPixelData.Create(DicomFile.Open(sample.Path));
        Assert.Equal(expected.FrameCount, frames.Count);
        var info = expected.Info;
        if (info.IsSigned) return; // ojph_expand writes PGM, which has no negative values; GDCM-free signed coverage is in HtJ2kCodecTests
        for (var f = 0; f < frames.Count; f++)
        {
            var j2c = temp.File($"frame{f}.j2c");
            File.WriteAllBytes(j2c, frames[f]);
            var pnm = temp.File(info.SamplesPerPixel == 3 ? $"frame{f}.ppm" : $"frame{f}.pgm");
            var (code, _, stderr) = ExternalTools.Run("ojph_expand", "-i", j2c, "-o", pnm);
            Assert.True(code == 0, $"ojph_expand frame {f}: {stderr}");
            Assert.True(expected.DecodeFrame(f).Data.AsSpan().SequenceEqual(PnmSamples(File.ReadAllBytes(pnm), info.BytesPerSample)), $"{sample.Name} frame {f}");
        }
    }

    /// <summary>Encapsulated uncompressed: each fragment is the native frame; deflated frames: each inflates to it (zlib).</summary>
    private static void AssertFragmentsHoldTheFrames(ExternalTools.TempFolder temp, string ours, ExpectedPixels sample, string uid)
    {
        var frames = DcmtkFragments(temp, ours);
        var expected = DicomPixelData.Create(DicomFile.Open(sample.Path));
        Assert.Equal(expected.FrameCount, frames.Count);
        for (var f = 0; f < frames.Count; f++)
        {
            var native = expected.DecodeFrame(f).Data;
            var held = frames[f];
            if (uid == DeflatedFrameCodec.TransferSyntaxUid)
            {
                using var inflate = new DeflateStream(new MemoryStream(frames[f]), CompressionMode.Decompress);
                var buffer = new MemoryStream();
                inflate.CopyTo(buffer);
                held = buffer.ToArray();
            }
            // Fragments have even length: an odd frame carries one pad byte.
            Assert.True(held.Length == native.Length || (held.Length == native.Length + 1 && native.Length % 2 == 1), $"{sample.Name} frame {f}: {held.Length} bytes");
            Assert.True(held.AsSpan(0, native.Length).SequenceEqual(native), $"{sample.Name} frame {f}");
        }
    }

    /// <summary>The frame fragments of a file as DCMTK reads them (item 0, the offset table, left out; one fragment per frame here).</summary>
    private static List<byte[]> DcmtkFragments(ExternalTools.TempFolder temp, string file)
    {
        var folder = Directory.CreateDirectory(temp.File(Path.GetFileName(file) + ".items")).FullName;
        var (code, _, stderr) = ExternalTools.Run("dcmdump", "-q", "+W", folder, file);
        Assert.True(code == 0, $"dcmdump: {stderr}");
        var items = Directory.GetFiles(folder, "*.raw")
            .Select(p => (Index: int.Parse(Path.GetFileNameWithoutExtension(p).Split('.')[^1], System.Globalization.CultureInfo.InvariantCulture), Path: p))
            .OrderBy(i => i.Index).ToList();
        return [.. items.Skip(1).Select(i => File.ReadAllBytes(i.Path))];
    }

    /// <summary>The samples of a binary PGM/PPM (16-bit big endian, as Netpbm defines), returned little endian.</summary>
    private static byte[] PnmSamples(byte[] pnm, int bytesPerSample)
    {
        var fields = 0;
        var at = 0;
        while (fields < 4)
        {
            while (char.IsWhiteSpace((char)pnm[at])) at++;
            if (pnm[at] == '#') { while (pnm[at] != '\n') at++; continue; }
            while (!char.IsWhiteSpace((char)pnm[at])) at++;
            fields++;
        }
        var data = pnm.AsSpan(at + 1).ToArray();
        if (bytesPerSample == 2)
            for (var i = 0; i + 1 < data.Length; i += 2) (data[i], data[i + 1]) = (data[i + 1], data[i]);
        return data;
    }

    private static HashSet<string> DciodvfyErrors(string path)
    {
        var (_, stdout, stderr) = ExternalTools.Run("dciodvfy", path);
        return [.. (stdout + "\n" + stderr).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Error", StringComparison.Ordinal))];
    }
}
