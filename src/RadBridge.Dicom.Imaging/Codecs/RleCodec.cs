using System.Buffers;
using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>
/// RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G) in managed code. A frame is a 64-byte header (segment count
/// and up to 15 segment offsets) followed by one PackBits-style segment per byte plane: for each sample, its most
/// significant byte first (G.2). Bits Allocated 8, 16 and 32; 1 to 3 samples.
/// </summary>
public sealed class RleCodec : IPixelCodec
{
    public const string TransferSyntaxUid = "1.2.840.10008.1.2.5";
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    public string Name => "RLE Lossless";

    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [TransferSyntaxUid];

    public bool CanEncode(string transferSyntaxUid) => transferSyntaxUid == TransferSyntaxUid;

    /// <inheritdoc/>
    public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(info);
        var bytesPerSample = CheckLayout(info, frame);
        var planes = info.SamplesPerPixel * bytesPerSample;
        var pixels = checked(info.Rows * info.Columns);
        if (encoded.Length < HeaderLength) throw Corrupt(frame, $"the stream has {encoded.Length} bytes, fewer than the 64-byte header");
        var segments = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (segments != planes)
            throw Corrupt(frame, $"the header declares {segments} segments; {info.SamplesPerPixel} sample(s) of {info.BitsAllocated} bits need {planes}");

        var plane = planes == 1 ? null : ArrayPool<byte>.Shared.Rent(pixels);
        try
        {
            for (var s = 0; s < planes; s++)
            {
                var start = BinaryPrimitives.ReadUInt32LittleEndian(encoded[(4 + 4 * s)..]);
                var end = s + 1 < planes ? BinaryPrimitives.ReadUInt32LittleEndian(encoded[(8 + 4 * s)..]) : (uint)encoded.Length;
                if (start < HeaderLength || start > end || end > encoded.Length)
                    throw Corrupt(frame, $"segment {s + 1} lies at {start}..{end}, outside the {encoded.Length}-byte stream");
                var target = plane is null ? destination[..pixels] : plane.AsSpan(0, pixels);
                var written = DecodeSegment(encoded[(int)start..(int)end], target);
                if (written < pixels) throw Corrupt(frame, $"segment {s + 1} decodes to {written} bytes; the frame needs {pixels}");
                if (plane is not null) Scatter(target, destination, s, planes, bytesPerSample);
            }
        }
        finally
        {
            if (plane is not null) ArrayPool<byte>.Shared.Return(plane);
        }
        return info.PhotometricInterpretation;
    }

    /// <inheritdoc/>
    public EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(info);
        var bytesPerSample = CheckLayout(info, 0);
        var planes = info.SamplesPerPixel * bytesPerSample;
        int rows = info.Rows, columns = info.Columns;
        if (frame.Length < info.DecodedFrameLength)
            throw new PixelCodecException(Name, 0, $"the frame has {frame.Length} bytes; {info.DecodedFrameLength} expected");

        // Worst case per row: all literals, one header byte per 128 bytes; plus a padding byte per segment.
        var rowBound = columns + (columns + 127) / 128;
        var output = new byte[HeaderLength + planes * ((long)rows * rowBound + 1)];
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)planes);
        var at = HeaderLength;
        var row = new byte[columns];
        for (var s = 0; s < planes; s++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4 + 4 * s), (uint)at);
            var sample = s / bytesPerSample;
            var significance = bytesPerSample - 1 - s % bytesPerSample; // most significant byte first (G.2)
            var stride = info.SamplesPerPixel * bytesPerSample;
            for (var r = 0; r < rows; r++)
            {
                var source = (r * columns * info.SamplesPerPixel + sample) * bytesPerSample + significance;
                for (var c = 0; c < columns; c++) row[c] = frame[source + c * stride];
                at += EncodeRow(row, output.AsSpan(at)); // rows are encoded separately (G.3.1)
            }
            if ((at & 1) != 0) output[at++] = 0; // segments have even length (G.5)
        }
        return new EncodedFrame(output[..at], info.PhotometricInterpretation);
    }

    /// <summary>Decodes one PackBits segment (G.3.2) into <paramref name="output"/>; stops when it is full.</summary>
    private static int DecodeSegment(ReadOnlySpan<byte> segment, Span<byte> output)
    {
        int i = 0, o = 0;
        while (i < segment.Length && o < output.Length)
        {
            var n = (sbyte)segment[i++];
            if (n >= 0)
            {
                var count = Math.Min(n + 1, Math.Min(segment.Length - i, output.Length - o));
                segment.Slice(i, count).CopyTo(output[o..]);
                i += n + 1;
                o += count;
            }
            else if (n != -128)
            {
                if (i >= segment.Length) break;
                var count = Math.Min(1 - n, output.Length - o);
                output.Slice(o, count).Fill(segment[i++]);
                o += count;
            }
        }
        return o;
    }

    /// <summary>PackBits-encodes one row: runs of three or more equal bytes replicate, everything else is literal.</summary>
    private static int EncodeRow(ReadOnlySpan<byte> row, Span<byte> output)
    {
        int i = 0, o = 0;
        while (i < row.Length)
        {
            var run = RunLength(row, i);
            if (run >= 3)
            {
                output[o++] = (byte)(sbyte)(1 - run);
                output[o++] = row[i];
                i += run;
                continue;
            }
            var start = i;
            while (i < row.Length && i - start < 128 && RunLength(row, i) < 3) i++;
            var count = i - start;
            output[o++] = (byte)(count - 1);
            row.Slice(start, count).CopyTo(output[o..]);
            o += count;
        }
        return o;
    }

    private static int RunLength(ReadOnlySpan<byte> row, int at)
    {
        var value = row[at];
        var end = Math.Min(row.Length, at + 128);
        var i = at + 1;
        while (i < end && row[i] == value) i++;
        return i - at;
    }

    private static void Scatter(ReadOnlySpan<byte> plane, Span<byte> destination, int segment, int planes, int bytesPerSample)
    {
        // Segment k holds byte (bytesPerSample - 1 - k % bytesPerSample) of sample k / bytesPerSample.
        var offset = segment / bytesPerSample * bytesPerSample + (bytesPerSample - 1 - segment % bytesPerSample);
        for (int p = 0, d = offset; p < plane.Length; p++, d += planes) destination[d] = plane[p];
    }

    private int CheckLayout(PixelDataInfo info, int frame)
    {
        if (info.IsFloat || info.BitsAllocated is not (8 or 16 or 32))
            throw new PixelCodecException(Name, frame, $"Bits Allocated {info.BitsAllocated}{(info.IsFloat ? " float" : "")} cannot be RLE encoded (8, 16 or 32 integer bits)");
        var planes = info.SamplesPerPixel * info.BytesPerSample;
        if (planes > MaxSegments) throw new PixelCodecException(Name, frame, $"{planes} byte planes exceed the 15 RLE segments");
        return info.BytesPerSample;
    }

    private PixelCodecException Corrupt(int frame, string problem) => new(Name, frame, problem);
}
