using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>One component of a SIZ marker segment.</summary>
internal readonly record struct J2kComponent(int Precision, bool IsSigned, int Dx, int Dy);

/// <summary>
/// The image and tile geometry of a JPEG 2000 codestream's SIZ marker segment (ISO/IEC 15444-1 A.5.1), read by
/// managed code so that a codestream that disagrees with the data set, or claims an absurd tiling, is refused
/// before a native decoder allocates anything for it.
/// </summary>
internal sealed record J2kHeader(int Width, int Height, IReadOnlyList<J2kComponent> Components, long TileCount, int CodestreamOffset, bool IsJp2)
{
    private const ushort Soc = 0xFF4F, Siz = 0xFF51, Sot = 0xFF90, Eoc = 0xFFD9, Tlm = 0xFF55;

    /// <summary>Reads the SIZ of a raw codestream or of the jp2c box of a JP2 file.</summary>
    /// <exception cref="FormatException">The header is missing, short or inconsistent (message says what).</exception>
    public static J2kHeader Read(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        var jp2 = false;
        if (data.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(data) == 12 && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == 0x6A502020)
        {
            offset = FindContiguousCodestreamBox(data);
            jp2 = true;
        }
        var cs = data[offset..];
        if (cs.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(cs) != Soc || BinaryPrimitives.ReadUInt16BigEndian(cs[2..]) != Siz)
            throw new FormatException("not a JPEG 2000 codestream (no SOC marker followed by SIZ)");
        if (cs.Length < 6 + 38) throw new FormatException("SIZ marker segment is truncated");
        var lsiz = BinaryPrimitives.ReadUInt16BigEndian(cs[4..]);
        var siz = cs[6..];
        uint xsiz = U32(siz, 2), ysiz = U32(siz, 6), xo = U32(siz, 10), yo = U32(siz, 14), xt = U32(siz, 18), yt = U32(siz, 22),
            xto = U32(siz, 26), yto = U32(siz, 30);
        int csiz = BinaryPrimitives.ReadUInt16BigEndian(siz[34..]);
        if (csiz is < 1 or > 16384 || lsiz != 38 + 3 * csiz || cs.Length < 4 + lsiz)
            throw new FormatException($"SIZ marker segment is inconsistent (Lsiz {lsiz}, {csiz} components, {cs.Length} bytes)");
        if (xsiz <= xo || ysiz <= yo || xt == 0 || yt == 0 || xto > xo || yto > yo || (long)xto + xt <= xo || (long)yto + yt <= yo)
            throw new FormatException($"SIZ geometry is invalid (image {xo},{yo}-{xsiz},{ysiz}, tiles {xt}x{yt} at {xto},{yto})");
        var tiles = ((xsiz - xto + (long)xt - 1) / xt) * ((ysiz - yto + (long)yt - 1) / yt);
        var components = new J2kComponent[csiz];
        for (var c = 0; c < csiz; c++)
        {
            var s = siz[(36 + 3 * c)..];
            components[c] = new J2kComponent((s[0] & 0x7F) + 1, (s[0] & 0x80) != 0, s[1], s[2]);
            if (s[1] == 0 || s[2] == 0) throw new FormatException($"component {c} has a zero subsampling factor");
        }
        return new J2kHeader((int)Math.Min(int.MaxValue, xsiz - xo), (int)Math.Min(int.MaxValue, ysiz - yo), components, tiles, offset, jp2);
    }

    private static uint U32(ReadOnlySpan<byte> segment, int at) => BinaryPrimitives.ReadUInt32BigEndian(segment[at..]);

    private static int FindContiguousCodestreamBox(ReadOnlySpan<byte> data)
    {
        long at = 0;
        while (at + 8 <= data.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)at..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(data[(int)(at + 4)..]);
            var header = 8;
            if (length == 1)
            {
                if (at + 16 > data.Length) break;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(int)(at + 8)..]);
                header = 16;
            }
            else if (length == 0) length = data.Length - at;
            if (type == 0x6A703263) return (int)(at + header); // 'jp2c'
            if (length < header) break;
            at += length;
        }
        throw new FormatException("JP2 file without a contiguous codestream (jp2c) box");
    }

    /// <summary>
    /// Adds a TLM marker segment (A.7.1) listing every tile-part's length to a codestream that has none, as the
    /// HTJ2K RPCL transfer syntax requires (PS3.5 §10.18); the encoder we use cannot write one itself.
    /// </summary>
    public static byte[] InsertTlm(ReadOnlySpan<byte> codestream)
    {
        // Walk the main header's marker segments up to the first SOT.
        var at = 2;
        while (true)
        {
            if (at + 4 > codestream.Length) throw new FormatException("codestream has no tile-part (SOT)");
            var marker = BinaryPrimitives.ReadUInt16BigEndian(codestream[at..]);
            if (marker == Sot) break;
            if (marker == Tlm) return codestream.ToArray();
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(codestream[(at + 2)..]);
        }
        var firstSot = at;
        var parts = new List<(ushort Tile, uint Length)>();
        while (at + 12 <= codestream.Length && BinaryPrimitives.ReadUInt16BigEndian(codestream[at..]) == Sot)
        {
            var tile = BinaryPrimitives.ReadUInt16BigEndian(codestream[(at + 4)..]);
            var psot = BinaryPrimitives.ReadUInt32BigEndian(codestream[(at + 6)..]);
            if (psot == 0) psot = (uint)(codestream.Length - 2 - at); // last tile-part runs to EOC
            parts.Add((tile, psot));
            at += (int)psot;
        }
        if (at + 2 > codestream.Length || BinaryPrimitives.ReadUInt16BigEndian(codestream[at..]) != Eoc)
            throw new FormatException("tile-part lengths do not lead to the EOC marker");
        // Stlm: ST = 2 (16-bit tile indices), SP = 1 (32-bit lengths).
        var tlm = new byte[6 + 6 * parts.Count];
        BinaryPrimitives.WriteUInt16BigEndian(tlm, Tlm);
        BinaryPrimitives.WriteUInt16BigEndian(tlm.AsSpan(2), (ushort)(4 + 6 * parts.Count));
        tlm[4] = 0;
        tlm[5] = 0x60;
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(tlm.AsSpan(6 + 6 * i), parts[i].Tile);
            BinaryPrimitives.WriteUInt32BigEndian(tlm.AsSpan(8 + 6 * i), parts[i].Length);
        }
        return [.. codestream[..firstSot], .. tlm, .. codestream[firstSot..]];
    }

    /// <summary>Checks the header against the data set before decoding.</summary>
    public void Validate(string codec, int frame, PixelDataInfo info)
    {
        if (Width != info.Columns || Height != info.Rows || Components.Count != info.SamplesPerPixel)
            throw new PixelCodecException(codec, frame,
                $"codestream is {Width}x{Height} with {Components.Count} components; the data set says {info.Columns}x{info.Rows} with {info.SamplesPerPixel}");
        if (TileCount > 65535) throw new PixelCodecException(codec, frame, $"codestream claims {TileCount} tiles");
        for (var c = 0; c < Components.Count; c++)
        {
            var k = Components[c];
            if (k.Dx != 1 || k.Dy != 1)
                throw new PixelCodecException(codec, frame, $"component {c} is subsampled {k.Dx}x{k.Dy}, which DICOM does not allow");
            if (k.Precision > info.BitsAllocated)
                throw new PixelCodecException(codec, frame, $"component {c} has {k.Precision}-bit samples; Bits Allocated is {info.BitsAllocated}");
        }
    }
}
