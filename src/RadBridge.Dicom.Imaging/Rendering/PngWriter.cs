using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// Writes <see cref="RenderedImage"/>s as PNG (ISO/IEC 15948): 8- and 16-bit greyscale, 8-bit RGB, non-interlaced,
/// one IDAT chunk, each row with the filter that gives the smallest sum of absolute differences (the heuristic the
/// PNG specification recommends, section 12.8).
/// </summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The PNG file of <paramref name="image"/>.</summary>
    public static byte[] Encode(RenderedImage image, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var ms = new MemoryStream();
        Write(ms, image, level);
        return ms.ToArray();
    }

    public static void Write(Stream stream, RenderedImage image, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(image);
        stream.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], image.Height);
        ihdr[8] = (byte)image.BitsPerSample;
        ihdr[9] = image.Channels == 1 ? (byte)0 : (byte)2; // colour type: greyscale or truecolour
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(stream, "IHDR"u8, ihdr);

        using (var idat = new MemoryStream())
        {
            using (var z = new ZLibStream(idat, level, leaveOpen: true))
                WriteFilteredRows(z, image);
            WriteChunk(stream, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        }
        WriteChunk(stream, "IEND"u8, []);
    }

    private static void WriteFilteredRows(Stream z, RenderedImage image)
    {
        var stride = image.Stride;
        var bpp = image.BytesPerPixel;
        var previous = new byte[stride];
        var current = new byte[stride];
        var candidate = new byte[stride + 1];
        var best = new byte[stride + 1];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Pixels.AsSpan(y * stride, stride);
            if (image.BitsPerSample == 16)
                for (var i = 0; i < stride; i += 2)
                {
                    // PNG samples are big endian; rendered 16-bit samples are in machine (little-endian) order.
                    current[i] = row[i + 1];
                    current[i + 1] = row[i];
                }
            else row.CopyTo(current);

            var bestScore = long.MaxValue;
            for (byte filter = 0; filter <= 4; filter++)
            {
                candidate[0] = filter;
                var score = Filter(filter, current, previous, bpp, candidate.AsSpan(1));
                if (score < bestScore)
                {
                    bestScore = score;
                    (best, candidate) = (candidate, best);
                }
            }
            z.Write(best);
            (previous, current) = (current, previous);
        }
    }

    private static long Filter(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        long score = 0;
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
            var predicted = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => Paeth(a, b, c),
            };
            var v = (byte)(row[i] - predicted);
            output[i] = v;
            score += v < 128 ? v : 256 - v;
        }
        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        type.CopyTo(header[4..]);
        stream.Write(header);
        stream.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc.GetCurrentHashAsUInt32());
        stream.Write(tail);
    }
}
