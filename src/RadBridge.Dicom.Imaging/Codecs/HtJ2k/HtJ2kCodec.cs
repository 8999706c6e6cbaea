using System.Text;
using RadBridge.Dicom.Imaging.Codecs.Jpeg2000;
using RadBridge.Dicom.Imaging.Codecs.Native;

namespace RadBridge.Dicom.Imaging.Codecs.HtJ2k;

/// <summary>
/// High-Throughput JPEG 2000 (ISO/IEC 15444-15): Lossless (1.2.840.10008.1.2.4.201), Lossless RPCL (.202) and
/// lossy-or-lossless (.203). Encoding goes through OpenJPH (Debian libopenjph0.9, C++ only) by way of the
/// project's C shim; decoding goes through OpenJPEG 2.5, which reads HTJ2K and, unlike OpenJPH 0.9, fails fast on
/// damaged codestreams. RGB is coded with the multi-component transform and labelled YBR_RCT / YBR_ICT, as for
/// JPEG 2000 (PS3.5 §8.2.4).
/// </summary>
public sealed class HtJ2kCodec : IPixelCodec
{
    public const string LosslessUid = "1.2.840.10008.1.2.4.201";
    public const string LosslessRpclUid = "1.2.840.10008.1.2.4.202";
    public const string LossyUid = "1.2.840.10008.1.2.4.203";

    public string Name => "HTJ2K (OpenJPH encoder, OpenJPEG decoder)";

    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [LosslessUid, LosslessRpclUid, LossyUid];

    public bool CanEncode(string transferSyntaxUid) => TransferSyntaxUids.Contains(transferSyntaxUid);

    public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination) =>
        Jpeg2000Codec.DecodeCodestream(Name, encoded, info, frame, destination);

    public unsafe EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!CanEncode(transferSyntaxUid)) throw new ArgumentException($"{Name} does not encode {transferSyntaxUid}", nameof(transferSyntaxUid));
        NativeFrame.Validate(Name, 0, info, 16);
        NativeFrame.RequireLength(frame.Length, info, nameof(frame));
        if (info.PhotometricInterpretation.StartsWith("YBR_", StringComparison.Ordinal))
            throw new PixelCodecException(Name, 0, $"{info.PhotometricInterpretation} data cannot be HTJ2K encoded; convert to RGB first");
        if (options.CompressionRatio < 0) throw new ArgumentOutOfRangeException(nameof(options), "CompressionRatio must not be negative");
        NativeCodecLibrary.Require(NativeCodecLibrary.OpenJphShim, Name);

        var samples = new int[info.Rows * info.Columns * info.SamplesPerPixel];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = NativeFrame.Fit(NativeFrame.ReadSample(frame, i, info, false), info.BitsStored, info.IsSigned);
        var lossy = transferSyntaxUid == LossyUid;
        var rpcl = transferSyntaxUid == LosslessRpclUid;
        var colour = info.SamplesPerPixel == 3 && info.PhotometricInterpretation == "RGB";
        var decompositions = Decompositions(info.Columns, info.Rows, rpcl);

        byte[] codestream;
        if (!lossy) codestream = Run(samples, info, true, colour, 0, rpcl, decompositions);
        else if (options.CompressionRatio == 0)
        {
            // No target: a quantisation step of about one grey level, visually lossless.
            codestream = Run(samples, info, false, colour, 1f / (1 << info.BitsStored), false, decompositions);
        }
        else codestream = EncodeToRatio(samples, info, colour, decompositions, options.CompressionRatio);

        if (rpcl)
        {
            // PS3.5 §10.18: the RPCL syntax needs TLM marker segments, which OpenJPH 0.9 cannot write.
            codestream = J2kHeader.InsertTlm(codestream);
        }
        var photometric = colour ? (lossy ? "YBR_ICT" : "YBR_RCT") : info.PhotometricInterpretation;
        return new EncodedFrame(codestream, photometric);
    }

    /// <summary>
    /// OpenJPH has no rate control, only a quantisation step: bisect the step (on a log scale, eight encodes at
    /// most) for the finest one whose codestream is within the target size.
    /// </summary>
    private byte[] EncodeToRatio(int[] samples, PixelDataInfo info, bool colour, int decompositions, double ratio)
    {
        var target = (long)info.Rows * info.Columns * info.SamplesPerPixel * info.BitsStored / 8 / ratio;
        double fine = Math.Log(1e-6), coarse = Math.Log(0.5);
        var best = Run(samples, info, false, colour, (float)Math.Exp(coarse), false, decompositions);
        for (var i = 0; i < 8; i++)
        {
            var middle = (fine + coarse) / 2;
            var attempt = Run(samples, info, false, colour, (float)Math.Exp(middle), false, decompositions);
            if (attempt.Length <= target)
            {
                best = attempt;
                coarse = middle;
            }
            else fine = middle;
        }
        return best;
    }

    private unsafe byte[] Run(int[] samples, PixelDataInfo info, bool reversible, bool colour, float qstep, bool rpcl, int decompositions)
    {
        var message = new byte[512];
        byte* output = null;
        nuint size = 0;
        int status;
        fixed (int* input = samples)
        fixed (byte* text = message)
        {
            status = OpenJphShimNative.Encode(input, (uint)info.Columns, (uint)info.Rows, (uint)info.SamplesPerPixel, (uint)info.BitsStored,
                info.IsSigned ? 1 : 0, reversible ? 1 : 0, colour ? 1 : 0, qstep, rpcl ? 1 : 0, (uint)decompositions,
                out output, out size, text, (nuint)message.Length);
        }
        try
        {
            if (status != 0)
                throw new PixelCodecException(Name, 0, Encoding.UTF8.GetString(message.AsSpan(0, Math.Max(0, Array.IndexOf(message, (byte)0)))));
            return new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        finally
        {
            if (output is not null) OpenJphShimNative.Free(output);
        }
    }

    /// <summary>
    /// Five decomposition levels as usual; for RPCL enough that the lowest resolution is at most 64 pixels a side
    /// (PS3.5 §10.18, for thumbnails).
    /// </summary>
    internal static int Decompositions(int width, int height, bool rpcl)
    {
        var levels = 5;
        if (rpcl)
            while (((Math.Max(width, height) - 1) >> levels) + 1 > 64) levels++;
        return levels;
    }

    /// <summary>The OpenJPH version the shim was built with.</summary>
    public static string LibraryVersion()
    {
        NativeCodecLibrary.Require(NativeCodecLibrary.OpenJphShim, "HTJ2K");
        return OpenJphShimNative.Version();
    }
}
