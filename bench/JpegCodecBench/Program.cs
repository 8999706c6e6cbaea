using System.Diagnostics;
using System.Globalization;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.Jpeg;
using RadBridge.Dicom.Imaging.Tests.Jpeg;

// Times each JPEG coder path on whole sample files: decoded (or encoded) megabytes of native pixels per second,
// single thread, after a warm-up pass. Output: one tab-separated line per measurement, for bench/jpeg-codec.sh.
//   JpegCodecBench [seconds-per-case]
//   JpegCodecBench --replicate DIR    writes each decode sample with its frames repeated to at least 24 MB of
//                                      decoded pixels, so a dcmdjpeg process run is dominated by decoding
if (args.Length == 2 && args[0] == "--replicate")
{
    foreach (var name in DecodeSamples())
    {
        var sample = JpegSample.Load(name);
        var copies = (int)Math.Ceiling(24e6 / ((double)JpegSample.DecodedLength(sample.Info) * sample.Frames.Count));
        var frames = Enumerable.Repeat(sample.Frames, copies).SelectMany(f => f).ToList();
        var ds = sample.Dataset.Clone();
        ds.AddOrUpdate(DicomTags.NumberOfFrames, frames.Count.ToString(CultureInfo.InvariantCulture));
        var fragments = frames.Select(f => DicomBuffer.FromMemory(f.Length % 2 == 0 ? f : [.. f, 0]));
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, fragments));
        new DicomFile(ds, DicomTransferSyntax.Lookup(sample.TransferSyntax)).Save(Path.Combine(args[1], name));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{frames.Count}\t{(double)JpegSample.DecodedLength(sample.Info) * frames.Count / 1e6:F2}"));
    }
    return;
}
var budget = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0);

static string[] DecodeSamples() =>
[
    "HasFragmentSequence.dcm",        // 8-bit grey, 96 x 512x512
    "examples_ybr_color.dcm",         // 8-bit YBR_FULL_422, 30 x 320x240
    "XA1_JPLY.dcm",                   // 12-bit, 1024x1024
    "MR4_JPLY.dcm",                   // 12-bit, 512x512
    "JPEGLossless_1s_1f_u_16_12.dcm", // lossless process 14, 1024x1024
    "CT0012.fragmented_no_bot_jpeg_lossless.70.dcm", // lossless SV1, 2 x 512x512
];

Console.WriteLine("operation\tfile\tpath\tframes\tmegabytes\tMB/s");
foreach (var name in DecodeSamples())
{
    var sample = JpegSample.Load(name);
    var info = sample.Info;
    var lossless = IsLossless(sample.Frames[0]);
    var paths = new List<(string Name, Action<byte[], byte[]> Decode)>
    {
        ("JpegCodec", (src, dst) => new JpegCodec().Decode(sample.TransferSyntax, src, info, 0, dst)),
    };
    if (lossless)
    {
        paths.Add(("managed lossless", (src, dst) => JpegLosslessDecoder.Decode(src, info, dst)));
    }
    else
    {
        paths.Add(("managed DCT", (src, dst) => JpegDctDecoder.Decode(src, info, dst)));
        if (info.BitsAllocated == 8) paths.Add(("libjpeg-turbo", (src, dst) => TurboJpegCoder.Decode(src, info, dst)));
    }
    var frameBytes = JpegSample.DecodedLength(info);
    foreach (var (pathName, decode) in paths)
    {
        var destination = new byte[frameBytes];
        var rate = Measure(() =>
        {
            foreach (var frame in sample.Frames) decode(frame, destination);
            return (long)frameBytes * sample.Frames.Count;
        });
        Report("decode", name, pathName, sample.Frames.Count, (double)frameBytes * sample.Frames.Count, rate);
    }
}

(string File, string Uid, string Path)[] encodeCases =
[
    ("SC_rgb.dcm", JpegCodec.Baseline, "libjpeg-turbo q90"),
    ("NM-MONO2-16-13x-heart.dcm", JpegCodec.LosslessSV1, "managed lossless SV1"),
    ("NM-MONO2-16-13x-heart.dcm", JpegCodec.Lossless, "managed lossless (predictor chosen)"),
    ("examples_overlay.dcm", JpegCodec.Extended, "managed 12-bit DCT q90"),
    ("examples_overlay.dcm", JpegCodec.Lossless, "managed lossless (predictor chosen)"),
];
foreach (var (file, uid, pathName) in encodeCases)
{
    var sample = JpegSample.Load(file);
    var codec = new JpegCodec();
    long encodedBytes = 0;
    var rate = Measure(() =>
    {
        encodedBytes = 0;
        foreach (var frame in sample.Frames) encodedBytes += codec.Encode(uid, frame, sample.Info, PixelEncodeOptions.Default).Data.Length;
        return (long)JpegSample.DecodedLength(sample.Info) * sample.Frames.Count;
    });
    var native = (double)JpegSample.DecodedLength(sample.Info) * sample.Frames.Count;
    Report($"encode (ratio {native / encodedBytes:F1}:1)", file, pathName, sample.Frames.Count, native, rate);
}

double Measure(Func<long> pass)
{
    pass(); // warm-up: JIT, native library load
    var clock = Stopwatch.StartNew();
    long bytes = 0;
    do bytes += pass(); while (clock.Elapsed < budget);
    return bytes / 1e6 / clock.Elapsed.TotalSeconds;
}

static void Report(string operation, string file, string path, int frames, double bytes, double rate) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{operation}\t{file}\t{path}\t{frames}\t{bytes / 1e6:F2}\t{rate:F1}"));

static bool IsLossless(byte[] stream)
{
    for (var i = 0; i + 1 < stream.Length; i++)
        if (stream[i] == 0xFF && stream[i + 1] is >= 0xC0 and <= 0xC3) return stream[i + 1] == 0xC3;
    return false;
}
