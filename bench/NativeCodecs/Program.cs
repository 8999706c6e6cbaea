using System.Diagnostics;
using System.Globalization;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Codecs;

// Usage: NativeCodecs NATIVE.dcm OUTDIR [SECONDS]
// Encodes and decodes the first frame of an uncompressed file with every native codec for about SECONDS each
// (after a warm-up), writes the frame to OUTDIR/frame.raw, prints one tab-separated line per transfer syntax (uid, name, encode MB/s, decode MB/s,
// codestream bytes, ratio) and leaves each codestream in OUTDIR/<uid>.bin for the reference tools' runs.
// MB/s is of uncompressed frame bytes (Bits Allocated wide), MB = 10^6 bytes.
//
// Usage: NativeCodecs --series FOLDER OUTDIR [UID...]: every slice of a native series (bench/codecs-ct.sh), see SeriesBench.
if (args.Length >= 3 && args[0] == "--series") return RadBridge.Bench.NativeCodecs.SeriesBench.Run(args[1], args[2], args[3..]);
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: NativeCodecs NATIVE.dcm OUTDIR [SECONDS] | NativeCodecs --series FOLDER OUTDIR [UID...]");
    return 2;
}
var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 1.0;
var ds = DicomFile.Open(args[0]).Dataset;
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
};
var frame = ((DicomValueElement)ds[DicomTags.PixelData]!).Buffer.GetMemory()[..(int)info.FrameLength].ToArray();
Directory.CreateDirectory(args[1]);
File.WriteAllBytes(Path.Combine(args[1], "frame.raw"), frame);
var options = new PixelEncodeOptions { CompressionRatio = 10, NearLossless = 2 };
string[] uids =
[
    "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
];
foreach (var uid in uids)
{
    var codec = PixelCodecRegistry.Default.Get(uid);
    var encoded = codec.Encode(uid, frame, info, options);
    var decodeInfo = info with { PhotometricInterpretation = encoded.PhotometricInterpretation };
    var decoded = new byte[frame.Length];
    var encodeRate = Rate(() => codec.Encode(uid, frame, info, options));
    var decodeRate = Rate(() => codec.Decode(uid, encoded.Data, decodeInfo, 0, decoded));
    File.WriteAllBytes(Path.Combine(args[1], uid + ".bin"), encoded.Data);
    Console.WriteLine(string.Join('\t', uid, DicomTransferSyntax.Lookup(uid).Name, F(encodeRate), F(decodeRate),
        encoded.Data.Length.ToString(CultureInfo.InvariantCulture), F((double)frame.Length / encoded.Data.Length)));
}
return 0;

double Rate(Action run)
{
    run();
    var watch = Stopwatch.StartNew();
    var n = 0;
    while (watch.Elapsed.TotalSeconds < seconds || n < 3)
    {
        run();
        n++;
    }
    return frame.Length * (double)n / watch.Elapsed.TotalSeconds / 1e6;
}

static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
