using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests.Native;

/// <summary>Checks every native codec's tests share: decode a sample against its ground truth, round trips, fuzzing.</summary>
internal static class CodecChecks
{
    /// <summary>Decodes every frame of a sample.</summary>
    public static List<byte[]> DecodeAll(IPixelCodec codec, Sample sample, out string photometric)
    {
        var frames = new List<byte[]>();
        photometric = "";
        for (var f = 0; f < sample.Frames.Count; f++)
        {
            var destination = new byte[sample.Info.Rows * sample.Info.Columns * sample.Info.SamplesPerPixel * sample.Info.BytesPerSample];
            photometric = codec.Decode(sample.TransferSyntaxUid, sample.Frames[f], sample.Info, f, destination);
            frames.Add(destination);
        }
        return frames;
    }

    /// <summary>
    /// Lossless: the pixel hash equals the sidecar's. Lossy: min/max/mean within <paramref name="tolerance"/> of the
    /// sample range (decoders may differ in rounding), and the decoded photometric interpretation as recorded.
    /// </summary>
    public static void DecodesToGroundTruth(IPixelCodec codec, string fileName, double tolerance = 0.01)
    {
        var sample = Sample.Load(fileName);
        Assert.True(sample.IsEncapsulated);
        var frames = DecodeAll(codec, sample, out var photometric);
        var expected = sample.Expected;
        if (expected.TryGetProperty("decoded_photometric_interpretation", out var decodedPhotometric))
            Assert.Equal(decodedPhotometric.GetString(), photometric);
        var lossy = expected.GetProperty("lossy_transfer_syntax").GetBoolean();
        var hash = Sample.Hash(frames);
        if (!lossy)
        {
            Assert.Equal(expected.GetProperty("sha256").GetString(), hash);
            return;
        }
        if (hash == expected.GetProperty("sha256").GetString()) return;
        var (min, max, mean) = Sample.Stats(frames, sample.Info);
        var range = Math.Max(1, expected.GetProperty("max").GetDouble() - expected.GetProperty("min").GetDouble());
        Assert.InRange(mean, expected.GetProperty("mean").GetDouble() - tolerance * range, expected.GetProperty("mean").GetDouble() + tolerance * range);
        Assert.InRange(min, expected.GetProperty("min").GetDouble() - 4 * tolerance * range, expected.GetProperty("min").GetDouble() + 4 * tolerance * range);
        Assert.InRange(max, expected.GetProperty("max").GetDouble() - 4 * tolerance * range, expected.GetProperty("max").GetDouble() + 4 * tolerance * range);
    }

    /// <summary>Native samples for round trips: 8-bit grey, 16-bit signed, 12-of-16 unsigned, RGB, a 3x3 RGB.</summary>
    public static TheoryData<string> NativeSamples() => new(["chrH31.dcm", "CT_small.dcm", "MR_small.dcm", "emri_small.dcm", "SC_rgb.dcm", "SC_rgb_small_odd.dcm", "color-pl.dcm"]);

    /// <summary>
    /// Fuzzes a codestream: truncations and bit flips, each decode must end in <see cref="PixelCodecException"/> or
    /// succeed, within <paramref name="perCaseLimit"/>.
    /// </summary>
    public static int Fuzz(IPixelCodec codec, string transferSyntaxUid, byte[] codestream, PixelDataInfo info, int cases, int seed, TimeSpan perCaseLimit)
    {
        var random = new Random(seed);
        var destination = new byte[info.Rows * info.Columns * info.SamplesPerPixel * info.BytesPerSample];
        var failures = 0;
        for (var i = 0; i < cases; i++)
        {
            byte[] mutated;
            switch (i % 4)
            {
                case 0:
                    mutated = codestream.AsSpan(0, random.Next(0, codestream.Length)).ToArray();
                    break;
                case 1:
                    // Header damage: flips in the first 200 bytes, where the markers and sizes are.
                    mutated = (byte[])codestream.Clone();
                    for (var k = 0; k < 1 + random.Next(3); k++) mutated[random.Next(Math.Min(200, mutated.Length))] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    mutated = (byte[])codestream.Clone();
                    for (var k = 0; k < 1 + random.Next(8); k++) mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                default:
                    // Random bytes over a stretch (overwritten marker segments, garbage entropy data).
                    mutated = (byte[])codestream.Clone();
                    var at = random.Next(mutated.Length);
                    random.NextBytes(mutated.AsSpan(at, Math.Min(mutated.Length - at, 1 + random.Next(64))));
                    break;
            }
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                codec.Decode(transferSyntaxUid, mutated, info, 0, destination);
            }
            catch (PixelCodecException)
            {
                failures++;
            }
            Assert.True(watch.Elapsed < perCaseLimit, $"case {i} took {watch.Elapsed}");
        }
        return failures;
    }
}
