using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Native;

/// <summary>
/// A sample file's pixels for codec tests that must not depend on the frame layer: the Image Pixel module as a
/// <see cref="PixelDataInfo"/>, the frames' codestreams (split by the Basic Offset Table, one fragment per frame, or
/// at codestream start markers) or the native frames, and the ground truth of expected/&lt;name&gt;.json.
/// </summary>
internal sealed class Sample
{
    private Sample(string name, string transferSyntaxUid, PixelDataInfo info, IReadOnlyList<byte[]> frames, bool encapsulated, JsonElement expected)
    {
        Name = name;
        TransferSyntaxUid = transferSyntaxUid;
        Info = info;
        Frames = frames;
        IsEncapsulated = encapsulated;
        Expected = expected;
    }

    public string Name { get; }
    public string TransferSyntaxUid { get; }
    public PixelDataInfo Info { get; }
    /// <summary>Codestreams (encapsulated) or native frames (colour-by-pixel, as the codec contract lays them out).</summary>
    public IReadOnlyList<byte[]> Frames { get; }
    public bool IsEncapsulated { get; }
    /// <summary>The "pixel" object of the sidecar.</summary>
    public JsonElement Expected { get; }

    /// <summary>Sample file names whose transfer syntax is one of <paramref name="uids"/>, from MANIFEST.tsv.</summary>
    public static IEnumerable<string> WithTransferSyntax(params string[] uids) =>
        File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(c => c.Length >= 4 && uids.Contains(c[3]))
            .Select(c => c[0])
            .Order(StringComparer.Ordinal);

    public static Sample Load(string fileName)
    {
        var file = DicomFile.Open(TestPaths.Sample(fileName));
        var ds = file.Dataset;
        var info = new PixelDataInfo
        {
            Rows = ds.GetValue<int>(DicomTags.Rows),
            Columns = ds.GetValue<int>(DicomTags.Columns),
            SamplesPerPixel = ds.GetValue<int>(DicomTags.SamplesPerPixel),
            BitsAllocated = ds.GetValue<int>(DicomTags.BitsAllocated),
            BitsStored = ds.GetValue<int>(DicomTags.BitsStored),
            HighBit = ds.GetValue<int>(DicomTags.HighBit),
            IsSigned = ds.GetValue<int>(DicomTags.PixelRepresentation) == 1,
            PhotometricInterpretation = ds.GetString(DicomTags.PhotometricInterpretation)?.Trim() ?? "",
            PlanarConfiguration = ds.GetValueOrDefault(DicomTags.PlanarConfiguration, 0, 0),
            NumberOfFrames = ds.GetValueOrDefault(DicomTags.NumberOfFrames, 0, 1),
        };
        var sidecar = Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(Path.GetFileName(fileName), ".json"));
        var expected = default(JsonElement);
        if (!Path.IsPathRooted(fileName) && File.Exists(sidecar))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(sidecar));
            if (json.RootElement.TryGetProperty("pixel", out var p)) expected = p.Clone();
        }
        var element = ds[DicomTags.PixelData] ?? throw new InvalidOperationException($"{fileName} has no Pixel Data");
        if (element is DicomFragmentSequence fragments)
            return new Sample(fileName, file.TransferSyntax.Uid, info, SplitFrames(fragments, info.NumberOfFrames), true, expected);
        var bytes = ((DicomValueElement)element).Buffer.GetMemory().ToArray();
        var frames = new List<byte[]>();
        var frameLength = (int)info.FrameLength;
        for (var f = 0; f < info.NumberOfFrames; f++)
        {
            var frame = bytes.AsSpan(f * frameLength, frameLength).ToArray();
            if (info.SamplesPerPixel == 3 && info.PlanarConfiguration == 1)
            {
                var interleaved = new byte[frame.Length];
                var pixels = info.Rows * info.Columns;
                for (var p2 = 0; p2 < pixels; p2++)
                    for (var s = 0; s < 3; s++) interleaved[p2 * 3 + s] = frame[s * pixels + p2];
                frame = interleaved;
            }
            frames.Add(frame);
        }
        return new Sample(fileName, file.TransferSyntax.Uid, info with { PlanarConfiguration = 0 }, frames, false, expected);
    }

    private static List<byte[]> SplitFrames(DicomFragmentSequence sequence, int frameCount)
    {
        var fragments = sequence.Fragments.Select(f => f.GetMemory().ToArray()).ToList();
        if (frameCount == 1) return [Concat(fragments)];
        if (fragments.Count == frameCount) return fragments;
        var offsets = sequence.GetBasicOffsets();
        var groups = new List<List<byte[]>>();
        if (offsets.Count == frameCount)
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
        else
        {
            // No usable offset table: a frame starts with a fragment that starts a codestream (JPEG SOI or J2K SOC).
            foreach (var fragment in fragments)
            {
                var starts = fragment.Length >= 2 && fragment[0] == 0xFF && (fragment[1] == 0xD8 || fragment[1] == 0x4F);
                if (starts || groups.Count == 0) groups.Add([]);
                groups[^1].Add(fragment);
            }
        }
        return [.. groups.Select(Concat)];
    }

    private static byte[] Concat(List<byte[]> parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var p in parts) { p.CopyTo(result, at); at += p.Length; }
        return result;
    }

    /// <summary>SHA-256 of decoded frames in order, as the samples README's "Pixel hash definition" says (frames are already colour-by-pixel and normalised to Bits Stored by the codec).</summary>
    public static string Hash(IEnumerable<byte[]> decodedFrames)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in decodedFrames) sha.AppendData(f);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Min, max and mean of the samples of decoded frames.</summary>
    public static (double Min, double Max, double Mean) Stats(IEnumerable<byte[]> decodedFrames, PixelDataInfo info)
    {
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        long n = 0;
        foreach (var f in decodedFrames)
        {
            var count = f.Length / info.BytesPerSample;
            for (var i = 0; i < count; i++)
            {
                double v = Value(f, i, info);
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                sum += v;
                n++;
            }
        }
        return (min, max, sum / n);
    }

    /// <summary>Sample <paramref name="index"/> of a decoded frame.</summary>
    public static int Value(byte[] frame, int index, PixelDataInfo info) => info.BitsAllocated == 8
        ? (info.IsSigned ? (sbyte)frame[index] : frame[index])
        : (info.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(frame.AsSpan(index * 2)) : BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(index * 2)));

    /// <summary>Largest absolute sample difference of two frames.</summary>
    public static int MaxError(byte[] a, byte[] b, PixelDataInfo info)
    {
        var worst = 0;
        for (var i = 0; i < a.Length / info.BytesPerSample; i++) worst = Math.Max(worst, Math.Abs(Value(a, i, info) - Value(b, i, info)));
        return worst;
    }

    public override string ToString() => Name;
}
