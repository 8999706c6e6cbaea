using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Codecs.Native;

/// <summary>
/// Checks and sample conversions shared by the native codecs: what the Image Pixel module allows them to handle,
/// colour-by-plane to colour-by-pixel, 8-bit to 16-bit widening and the Bits Stored rule of the pixel hash
/// definition (unsigned values masked, signed values sign-extended from Bits Stored).
/// </summary>
internal static class NativeFrame
{
    /// <summary>Bytes of one decoded frame: colour-by-pixel samples of Bits Allocated width.</summary>
    public static int DecodedLength(PixelDataInfo info) =>
        checked(info.Rows * info.Columns * info.SamplesPerPixel * info.BytesPerSample);

    /// <summary>
    /// Refuses Image Pixel values the integer codecs cannot represent, before any native call sees them.
    /// </summary>
    public static void Validate(string codec, int frame, PixelDataInfo info, int maxBitsStored)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Rows is < 1 or > 65535 || info.Columns is < 1 or > 65535)
            throw new PixelCodecException(codec, frame, $"image size {info.Columns}x{info.Rows} is outside 1..65535");
        if (info.SamplesPerPixel is not (1 or 3))
            throw new PixelCodecException(codec, frame, $"Samples per Pixel {info.SamplesPerPixel} is not 1 or 3");
        if (info.BitsAllocated is not (8 or 16))
            throw new PixelCodecException(codec, frame, $"Bits Allocated {info.BitsAllocated} is not 8 or 16");
        if (info.BitsStored < 1 || info.BitsStored > info.BitsAllocated || info.BitsStored > maxBitsStored)
            throw new PixelCodecException(codec, frame,
                $"Bits Stored {info.BitsStored} does not fit Bits Allocated {info.BitsAllocated} (at most {maxBitsStored} bits)");
    }

    /// <summary>The destination or source frame must be exactly one decoded frame long.</summary>
    public static void RequireLength(int length, PixelDataInfo info, string parameter)
    {
        var expected = DecodedLength(info);
        if (length != expected)
            throw new ArgumentException($"frame buffer holds {length} bytes; {info.Columns}x{info.Rows}x{info.SamplesPerPixel} samples of {info.BitsAllocated} bits need {expected}", parameter);
    }

    /// <summary>R…G…B… planes to R1G1B1R2… for samples of <paramref name="bytesPerSample"/> bytes.</summary>
    public static void PlanarToInterleaved(ReadOnlySpan<byte> planar, Span<byte> interleaved, int pixels, int samples, int bytesPerSample)
    {
        for (var s = 0; s < samples; s++)
        {
            var plane = planar.Slice(s * pixels * bytesPerSample, pixels * bytesPerSample);
            for (var p = 0; p < pixels; p++)
            {
                plane.Slice(p * bytesPerSample, bytesPerSample)
                    .CopyTo(interleaved.Slice((p * samples + s) * bytesPerSample, bytesPerSample));
            }
        }
    }

    /// <summary>One byte per sample to two bytes little endian (a codestream of at most 8 bits in a 16-bit frame).</summary>
    public static void Widen(ReadOnlySpan<byte> narrow, Span<byte> wide)
    {
        for (var i = 0; i < narrow.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(wide[(i * 2)..], narrow[i]);
    }

    /// <summary>
    /// Applies the pixel hash definition's Bits Stored rule in place: unsigned values keep only their Bits Stored
    /// low bits, signed ones are sign-extended from bit Bits Stored − 1.
    /// </summary>
    public static void NormalizeToBitsStored(Span<byte> frame, PixelDataInfo info)
    {
        if (info.BitsStored >= info.BitsAllocated) return;
        var bits = info.BitsStored;
        if (info.BitsAllocated == 8)
        {
            for (var i = 0; i < frame.Length; i++) frame[i] = (byte)Fit(frame[i], bits, info.IsSigned);
        }
        else
        {
            for (var i = 0; i + 1 < frame.Length; i += 2)
            {
                var v = Fit(BinaryPrimitives.ReadUInt16LittleEndian(frame[i..]), bits, info.IsSigned);
                BinaryPrimitives.WriteUInt16LittleEndian(frame[i..], (ushort)v);
            }
        }
    }

    /// <summary>The low <paramref name="bits"/> bits of a value, sign-extended when signed.</summary>
    public static int Fit(int value, int bits, bool signed)
    {
        var masked = value & ((1 << bits) - 1);
        return signed && (masked & (1 << (bits - 1))) != 0 ? masked - (1 << bits) : masked;
    }

    /// <summary>Reads sample <paramref name="index"/> of a frame as stored (8 or 16 bits, little endian).</summary>
    public static int ReadSample(ReadOnlySpan<byte> frame, int index, PixelDataInfo info, bool signed) => info.BitsAllocated == 8
        ? (signed ? (sbyte)frame[index] : frame[index])
        : (signed ? BinaryPrimitives.ReadInt16LittleEndian(frame[(index * 2)..]) : BinaryPrimitives.ReadUInt16LittleEndian(frame[(index * 2)..]));

    /// <summary>Writes sample <paramref name="index"/> (8 or 16 bits, little endian; the low bits of the value).</summary>
    public static void WriteSample(Span<byte> frame, int index, int value, int bitsAllocated)
    {
        if (bitsAllocated == 8) frame[index] = (byte)value;
        else BinaryPrimitives.WriteUInt16LittleEndian(frame[(index * 2)..], (ushort)value);
    }
}
