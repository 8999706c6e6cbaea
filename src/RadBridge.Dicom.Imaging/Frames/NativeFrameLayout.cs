using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Frames;

/// <summary>
/// Conversion between native (uncompressed, PS3.5 §8.1) frames and the decoded layout every codec produces:
/// colour-by-pixel, one little-endian value of Bits Allocated width per sample, Bits Allocated 1 unpacked to one
/// byte per pixel, YBR_FULL_422 expanded to a Y, Cb, Cr per pixel.
/// </summary>
internal static class NativeFrameLayout
{
    /// <summary>
    /// Where frame <paramref name="frame"/> lies in native pixel data: a byte range and, for Bits Allocated 1
    /// (frames are not byte aligned, PS3.5 §8.1.1), the bit its first pixel starts at within the first byte.
    /// </summary>
    public static (long Offset, long Length, int BitOffset) Locate(PixelDataInfo info, int frame)
    {
        if (info.BitsAllocated == 1)
        {
            long bitsPerFrame = (long)info.Rows * info.Columns * info.SamplesPerPixel;
            var firstBit = bitsPerFrame * frame;
            var endByte = (firstBit + bitsPerFrame + 7) / 8;
            return (firstBit / 8, endByte - firstBit / 8, (int)(firstBit % 8));
        }
        var length = info.FrameLength;
        return (length * frame, length, 0);
    }

    /// <summary>
    /// Converts one native frame to the decoded layout; returns the photometric interpretation of the result
    /// (YBR_FULL for expanded YBR_FULL_422, otherwise as stored).
    /// </summary>
    public static string ToDecoded(ReadOnlySpan<byte> native, int bitOffset, PixelDataInfo info, Span<byte> destination)
    {
        var pixels = (long)info.Rows * info.Columns;
        var bytes = info.BytesPerSample;
        if (info.BitsAllocated == 1)
        {
            for (long i = 0; i < pixels; i++)
            {
                var bit = i + bitOffset;
                destination[(int)i] = (byte)((native[(int)(bit >> 3)] >> (int)(bit & 7)) & 1); // least significant bit first
            }
            return info.PhotometricInterpretation;
        }
        if (info.PhotometricInterpretation == "YBR_FULL_422")
        {
            ExpandYbr422(native, info, destination);
            return "YBR_FULL";
        }
        if (info.SamplesPerPixel == 1 || info.PlanarConfiguration == 0)
        {
            native[..(int)info.DecodedFrameLength].CopyTo(destination);
            return info.PhotometricInterpretation;
        }
        // Colour-by-plane: R…R G…G B…B becomes R G B R G B…
        var plane = (int)(pixels * bytes);
        for (var s = 0; s < info.SamplesPerPixel; s++)
        {
            var source = native.Slice(s * plane, plane);
            for (var p = 0; p < pixels; p++)
                source.Slice(p * bytes, bytes).CopyTo(destination[(((p * info.SamplesPerPixel) + s) * bytes)..]);
        }
        return info.PhotometricInterpretation;
    }

    /// <summary>Native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair, PS3.3 C.7.6.3.1.2) with the chroma pair repeated.</summary>
    private static void ExpandYbr422(ReadOnlySpan<byte> native, PixelDataInfo info, Span<byte> destination)
    {
        var b = info.BytesPerSample;
        var pairsPerRow = (info.Columns + 1) / 2;
        var src = 0;
        for (var row = 0; row < info.Rows; row++)
        {
            for (var pair = 0; pair < pairsPerRow; pair++)
            {
                var y1 = native.Slice(src, b);
                var y2 = native.Slice(src + b, b);
                var cb = native.Slice(src + 2 * b, b);
                var cr = native.Slice(src + 3 * b, b);
                src += 4 * b;
                for (var k = 0; k < 2; k++)
                {
                    var column = pair * 2 + k;
                    if (column >= info.Columns) break;
                    var dst = destination[((row * info.Columns + column) * 3 * b)..];
                    (k == 0 ? y1 : y2).CopyTo(dst);
                    cb.CopyTo(dst[b..]);
                    cr.CopyTo(dst[(2 * b)..]);
                }
            }
        }
    }

    /// <summary>
    /// Masks integer samples to Bits Stored, sign-extending when Pixel Representation is 1, so bits above High Bit
    /// (old overlays, garbage) never reach callers. Float data is left alone.
    /// </summary>
    public static void NormalizeStoredValues(Span<byte> decoded, PixelDataInfo info)
    {
        if (info.IsFloat || info.BitsAllocated == 1 || info.BitsStored == info.BitsAllocated) return;
        var shift = 32 - info.BitsStored;
        switch (info.BitsAllocated)
        {
            case 8:
                for (var i = 0; i < decoded.Length; i++)
                    decoded[i] = (byte)(info.IsSigned ? (sbyte)((sbyte)(decoded[i] << (8 - info.BitsStored)) >> (8 - info.BitsStored)) : decoded[i] & ((1 << info.BitsStored) - 1));
                break;
            case 16:
                for (var i = 0; i + 1 < decoded.Length; i += 2)
                {
                    var v = (int)BinaryPrimitives.ReadUInt16LittleEndian(decoded[i..]);
                    v = info.IsSigned ? (v << shift) >> shift : v & ((1 << info.BitsStored) - 1);
                    BinaryPrimitives.WriteUInt16LittleEndian(decoded[i..], (ushort)v);
                }
                break;
            case 32:
                for (var i = 0; i + 3 < decoded.Length; i += 4)
                {
                    var v = BinaryPrimitives.ReadInt32LittleEndian(decoded[i..]);
                    v = info.IsSigned ? (v << shift) >> shift : (int)((uint)v & ((1u << info.BitsStored) - 1));
                    BinaryPrimitives.WriteInt32LittleEndian(decoded[i..], v);
                }
                break;
        }
    }

    /// <summary>
    /// One decoded frame back to native bytes (colour-by-pixel, Bits Allocated 1 packed from bit 0 of the first
    /// byte). The decoded frame must not be YBR_FULL_422 (decoding expands it).
    /// </summary>
    public static byte[] FromDecoded(ReadOnlySpan<byte> decoded, PixelDataInfo info)
    {
        if (decoded.Length < info.DecodedFrameLength)
            throw new DicomException($"a decoded frame needs {info.DecodedFrameLength} bytes; {decoded.Length} given");
        if (info.BitsAllocated != 1) return decoded[..(int)info.DecodedFrameLength].ToArray();
        var packed = new byte[(info.DecodedFrameLength + 7) / 8];
        PackBits(decoded[..(int)info.DecodedFrameLength], 0, packed);
        return packed;
    }

    /// <summary>
    /// Packs decoded frames (one byte per pixel, 0 or 1) into native Bits Allocated 1 pixel data: consecutive bits,
    /// least significant first, frames not byte aligned (PS3.5 §8.1.1).
    /// </summary>
    public static void PackBits(ReadOnlySpan<byte> pixels, long firstBit, Span<byte> destination)
    {
        for (var i = 0; i < pixels.Length; i++)
        {
            var bit = firstBit + i;
            var mask = (byte)(1 << (int)(bit & 7));
            ref var target = ref destination[(int)(bit >> 3)];
            target = pixels[i] != 0 ? (byte)(target | mask) : (byte)(target & ~mask);
        }
    }
}
