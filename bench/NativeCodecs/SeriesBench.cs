using System.Diagnostics;
using System.Globalization;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Bench.NativeCodecs;

/// <summary>
/// Throughput over a whole native series (the 300-slice CT of bench/codecs-ct.sh): for each transfer syntax, every
/// slice is encoded once and decoded once in process, one thread, after a warm-up on the first slice; the sum of the
/// codestreams gives the series' compression ratio. Prints one tab-separated line per syntax (uid, name, encode
/// MB/s, decode MB/s, codestream bytes, ratio, slices) and leaves each slice's codestream in OUTDIR/UID/NNNN.bin and each slice's
/// samples in OUTDIR/raw/NNNN.raw (little endian), so the reference tools decode the very same streams and encode
/// the very same samples. Decoding is checked against the slice (lossless: equal bytes).
/// </summary>
internal static class SeriesBench
{
    public static int Run(string folder, string outDir, string[] uids)
    {
        var files = Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"no .dcm files in {folder}");
            return 2;
        }
        var slices = new List<byte[]>(files.Length);
        PixelDataInfo? info = null;
        foreach (var f in files)
        {
            var pixels = DicomPixelData.Create(DicomFile.Open(f));
            info ??= pixels.Info;
            slices.Add(pixels.DecodeFrame(0).Data);
        }
        var raw = Directory.CreateDirectory(Path.Combine(outDir, "raw")).FullName;
        for (var i = 0; i < slices.Count; i++) File.WriteAllBytes(Path.Combine(raw, (i + 1).ToString("D4", CultureInfo.InvariantCulture) + ".raw"), slices[i]);
        var options = new PixelEncodeOptions { CompressionRatio = 10, NearLossless = 2, Quality = 90 };
        long total = slices.Sum(s => (long)s.Length);
        foreach (var uid in uids)
        {
            var codec = PixelCodecRegistry.Default.Get(uid);
            var lossy = DicomTransferSyntax.Lookup(uid).IsLossy;
            var dir = Directory.CreateDirectory(Path.Combine(outDir, uid)).FullName;
            var warm = codec.Encode(uid, slices[0], info!, options);
            codec.Decode(uid, warm.Data, info! with { PhotometricInterpretation = warm.PhotometricInterpretation }, 0, new byte[slices[0].Length]);

            var encoded = new EncodedFrame[slices.Count];
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < slices.Count; i++) encoded[i] = codec.Encode(uid, slices[i], info!, options);
            var encodeSeconds = watch.Elapsed.TotalSeconds;

            var decoded = new byte[slices[0].Length];
            var decodeSeconds = 0.0;
            for (var i = 0; i < slices.Count; i++)
            {
                watch.Restart();
                codec.Decode(uid, encoded[i].Data, info! with { PhotometricInterpretation = encoded[i].PhotometricInterpretation }, i, decoded);
                decodeSeconds += watch.Elapsed.TotalSeconds;
                if (!lossy && !decoded.AsSpan().SequenceEqual(slices[i])) throw new InvalidOperationException($"{uid}: slice {i} did not round-trip");
            }
            long bytes = 0;
            for (var i = 0; i < encoded.Length; i++)
            {
                bytes += encoded[i].Data.Length;
                File.WriteAllBytes(Path.Combine(dir, (i + 1).ToString("D4", CultureInfo.InvariantCulture) + ".bin"), encoded[i].Data);
            }
            Console.WriteLine(string.Join('\t', uid, DicomTransferSyntax.Lookup(uid).Name, F(total / encodeSeconds / 1e6), F(total / decodeSeconds / 1e6),
                bytes.ToString(CultureInfo.InvariantCulture), F((double)total / bytes), slices.Count.ToString(CultureInfo.InvariantCulture)));
        }
        return 0;
    }

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
}
