using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>
/// A sample file of the shared corpus opened for codec tests: its Image Pixel module, each frame's codestream
/// (or native bytes) and the ground truth of expected/&lt;name&gt;.json. Frame extraction is done here so the codec
/// is tested on its own, independently of the frame-access code.
/// </summary>
internal sealed class JpegSample
{
    public required string FileName { get; init; }
    public required string TransferSyntax { get; init; }
    public required DicomDataset Dataset { get; init; }
    public required PixelDataInfo Info { get; init; }
    /// <summary>One codestream per frame (encapsulated) or the native bytes of each frame.</summary>
    public required IReadOnlyList<byte[]> Frames { get; init; }
    public required JsonElement Pixel { get; init; }

    public static JpegSample Load(string fileName)
    {
        var file = DicomFile.Open(TestPaths.Sample(fileName));
        var ds = file.Dataset;
        var info = ReadInfo(ds);
        var frames = ds[DicomTags.PixelData] switch
        {
            DicomFragmentSequence f => SplitFrames(f, info.NumberOfFrames),
            DicomValueElement v => SplitNative(v.Buffer.GetMemory().ToArray(), info),
            _ => throw new InvalidOperationException($"{fileName} has no pixel data"),
        };
        var expected = Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(fileName, ".json"));
        using var json = JsonDocument.Parse(File.ReadAllText(expected));
        return new JpegSample
        {
            FileName = fileName, TransferSyntax = file.TransferSyntax.Uid, Dataset = ds, Info = info, Frames = frames,
            Pixel = json.RootElement.GetProperty("pixel").Clone(),
        };
    }

    public static PixelDataInfo ReadInfo(DicomDataset ds) => new()
    {
        Rows = ds.GetValue<int>(DicomTags.Rows),
        Columns = ds.GetValue<int>(DicomTags.Columns),
        SamplesPerPixel = ds.GetValue<int>(DicomTags.SamplesPerPixel),
        BitsAllocated = ds.GetValue<int>(DicomTags.BitsAllocated),
        BitsStored = ds.GetValue<int>(DicomTags.BitsStored),
        HighBit = ds.GetValue<int>(DicomTags.HighBit),
        IsSigned = ds.GetValueOrDefault(DicomTags.PixelRepresentation, 0, 0) == 1,
        PhotometricInterpretation = ds.GetString(DicomTags.PhotometricInterpretation)!.Trim(),
        PlanarConfiguration = ds.GetValueOrDefault(DicomTags.PlanarConfiguration, 0, 0),
        NumberOfFrames = ds.GetValueOrDefault(DicomTags.NumberOfFrames, 0, 1),
    };

    /// <summary>
    /// PS3.5 §A.4: by the Basic Offset Table when there is one; otherwise one fragment per frame when the counts
    /// match, else a new frame at each fragment that starts with SOI.
    /// </summary>
    private static List<byte[]> SplitFrames(DicomFragmentSequence f, int frameCount)
    {
        var fragments = f.Fragments.Select(b => b.GetMemory().ToArray()).ToList();
        var groups = new List<List<byte[]>>();
        var offsets = f.GetBasicOffsets();
        if (offsets.Count == frameCount && frameCount > 1)
        {
            long position = 0;
            var next = 0;
            foreach (var fragment in fragments)
            {
                if (next < offsets.Count && position == offsets[next]) { groups.Add([]); next++; }
                groups[^1].Add(fragment);
                position += 8 + fragment.Length;
            }
        }
        else if (frameCount == 1) groups.Add(fragments);
        else if (fragments.Count == frameCount) groups.AddRange(fragments.Select(x => new List<byte[]> { x }));
        else
        {
            foreach (var fragment in fragments)
            {
                if (groups.Count == 0 || (fragment.Length > 1 && fragment[0] == 0xFF && fragment[1] == 0xD8)) groups.Add([]);
                groups[^1].Add(fragment);
            }
        }
        if (groups.Count != frameCount) throw new InvalidOperationException($"{groups.Count} frames found, {frameCount} expected");
        return [.. groups.Select(g => g.SelectMany(x => x).ToArray())];
    }

    private static List<byte[]> SplitNative(byte[] bytes, PixelDataInfo info)
    {
        if (info.PlanarConfiguration != 0 || info.PhotometricInterpretation == "YBR_FULL_422")
            throw new InvalidOperationException("test helper reads colour-by-pixel, non-subsampled native frames only");
        var length = (int)info.FrameLength;
        return [.. Enumerable.Range(0, info.NumberOfFrames).Select(i => bytes.AsSpan(i * length, length).ToArray())];
    }

    /// <summary>Frame length in the codec's decoded layout.</summary>
    public static int DecodedLength(PixelDataInfo info) => info.Rows * info.Columns * info.SamplesPerPixel * info.BytesPerSample;

    /// <summary>The shared corpus's pixel hash (README "Pixel hash definition") over decoded frames.</summary>
    public static string PixelHash(IEnumerable<byte[]> frames, PixelDataInfo info)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var frame in frames) sha.AppendData(Normalize(frame, info));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Stored values masked to Bits Stored (unsigned) or sign-extended from it (signed), as the hash wants.</summary>
    public static byte[] Normalize(byte[] frame, PixelDataInfo info)
    {
        var copy = (byte[])frame.Clone();
        var bits = info.BitsStored;
        var mask = (1 << bits) - 1;
        if (info.BytesPerSample == 1)
        {
            for (var i = 0; i < copy.Length; i++) copy[i] = (byte)Value(copy[i], mask, bits, info.IsSigned);
        }
        else
        {
            for (var i = 0; i + 1 < copy.Length; i += 2)
                BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(i), (ushort)Value(BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(i)), mask, bits, info.IsSigned));
        }
        return copy;
    }

    private static int Value(int raw, int mask, int bits, bool signed)
    {
        var v = raw & mask;
        return signed && (v & (1 << (bits - 1))) != 0 ? v - (1 << bits) : v;
    }

    /// <summary>Sample values (after <see cref="Normalize"/>) as integers.</summary>
    public static int[] Samples(byte[] frame, PixelDataInfo info)
    {
        var n = Normalize(frame, info);
        if (info.BytesPerSample == 1)
        {
            var bytes = new int[n.Length];
            for (var i = 0; i < n.Length; i++) bytes[i] = info.IsSigned ? (sbyte)n[i] : n[i];
            return bytes;
        }
        var result = new int[n.Length / 2];
        for (var i = 0; i < result.Length; i++)
            result[i] = info.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(n.AsSpan(2 * i)) : BinaryPrimitives.ReadUInt16LittleEndian(n.AsSpan(2 * i));
        return result;
    }

    /// <summary>Largest difference between corresponding samples of two frames.</summary>
    public static int MaxDifference(byte[] a, byte[] b, PixelDataInfo info)
    {
        int[] x = Samples(a, info), y = Samples(b, info);
        if (x.Length != y.Length) throw new InvalidOperationException($"{x.Length} samples against {y.Length}");
        var worst = 0;
        for (var i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(x[i] - y[i]));
        return worst;
    }

    /// <summary>The names in MANIFEST.tsv with one of the given transfer syntaxes whose sidecar has decoded pixels.</summary>
    public static IEnumerable<string> WithTransferSyntax(params string[] uids)
    {
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns.Length < 4 || !uids.Contains(columns[3])) continue;
            var expected = Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(columns[0], ".json"));
            using var json = JsonDocument.Parse(File.ReadAllText(expected));
            if (json.RootElement.TryGetProperty("pixel", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("status", out var s) && s.GetString() == "decoded")
                yield return columns[0];
        }
    }
}
