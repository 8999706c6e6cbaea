namespace RadBridge.Dicom;

/// <summary>Value Representations of PS3.5 Table 6.2-1. <see cref="None"/> marks "no VR" (item tags, unknown).</summary>
public enum DicomVR : byte
{
    None = 0,
    AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
}

/// <summary>Per-VR facts from PS3.5 §6.2 and §7.1.2, looked up from a table rather than switches scattered over the code.</summary>
public static class DicomVRInfo
{
    [Flags]
    private enum F : ushort
    {
        None = 0,
        /// <summary>Character string value.</summary>
        Text = 1,
        /// <summary>Explicit VR header uses a 2-byte length (otherwise 2 reserved bytes + 4-byte length).</summary>
        Short = 2,
        /// <summary>Multiple values are separated by backslash.</summary>
        MultiValued = 4,
        /// <summary>Characters outside the default repertoire follow Specific Character Set.</summary>
        Charset = 8,
        /// <summary>Binary numbers whose bytes are swapped for big endian.</summary>
        Binary = 16,
        /// <summary>Leading spaces are significant (only trailing ones are padding).</summary>
        KeepLeading = 32,
        /// <summary>May be bulk data (a large value kept on disk).</summary>
        Bulk = 64,
    }

    // Index = (int)DicomVR. Columns: flags, padding byte, unit size (bytes per binary value), max length in bytes (0 = unbounded).
    private static readonly (F Flags, byte Pad, byte Unit, uint MaxLength)[] Table =
    [
        (F.None, 0, 1, 0),                                         // None
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 16),          // AE
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 4),           // AS
        (F.Short | F.Binary, 0, 2, 0),                             // AT (pairs of 16-bit)
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 16),          // CS
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 18),          // DA (8, or 17 for a range query, padded)
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 16),          // DS
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 54),          // DT (26, or 53 for a range)
        (F.Short | F.Binary, 0, 8, 0),                             // FD
        (F.Short | F.Binary, 0, 4, 0),                             // FL
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 12),          // IS
        (F.Text | F.Short | F.MultiValued | F.Charset, 0x20, 1, 64),  // LO
        (F.Text | F.Short | F.Charset | F.KeepLeading, 0x20, 1, 10240), // LT
        (F.Bulk, 0, 1, 0),                                         // OB
        (F.Binary | F.Bulk, 0, 8, 0),                              // OD
        (F.Binary | F.Bulk, 0, 4, 0),                              // OF
        (F.Binary | F.Bulk, 0, 4, 0),                              // OL
        (F.Binary | F.Bulk, 0, 8, 0),                              // OV
        (F.Binary | F.Bulk, 0, 2, 0),                              // OW
        (F.Text | F.Short | F.MultiValued | F.Charset, 0x20, 1, 64 * 3 + 4), // PN (64 chars per component group)
        (F.Text | F.Short | F.MultiValued | F.Charset, 0x20, 1, 16),  // SH
        (F.Short | F.Binary, 0, 4, 0),                             // SL
        (F.None, 0, 1, 0),                                         // SQ
        (F.Short | F.Binary, 0, 2, 0),                             // SS
        (F.Text | F.Short | F.Charset | F.KeepLeading, 0x20, 1, 1024), // ST
        (F.Binary, 0, 8, 0),                                       // SV
        (F.Text | F.Short | F.MultiValued, 0x20, 1, 28),          // TM (14, or 28 for a range)
        (F.Text | F.MultiValued | F.Charset, 0x20, 1, 0),         // UC
        (F.Text | F.Short | F.MultiValued, 0x00, 1, 64),          // UI
        (F.Short | F.Binary, 0, 4, 0),                             // UL
        (F.Bulk, 0, 1, 0),                                         // UN
        (F.Text, 0x20, 1, 0),                                      // UR
        (F.Short | F.Binary, 0, 2, 0),                             // US
        (F.Text | F.Charset | F.KeepLeading | F.Bulk, 0x20, 1, 0), // UT
        (F.Binary, 0, 8, 0),                                       // UV
    ];

    /// <summary>True when the explicit VR header carries a 16-bit length (PS3.5 Table 7.1-2); false for the 32-bit form.</summary>
    public static bool HasShortLength(this DicomVR vr) => (Table[(int)vr].Flags & F.Short) != 0;

    /// <summary>Character string VRs (AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT).</summary>
    public static bool IsText(this DicomVR vr) => (Table[(int)vr].Flags & F.Text) != 0;

    /// <summary>Text VRs whose values are split on backslash (all text VRs except LT, ST, UR, UT).</summary>
    public static bool IsMultiValuedText(this DicomVR vr) => (Table[(int)vr].Flags & F.MultiValued) != 0;

    /// <summary>Text VRs affected by Specific Character Set (SH LO ST LT PN UC UT).</summary>
    public static bool UsesSpecificCharacterSet(this DicomVR vr) => (Table[(int)vr].Flags & F.Charset) != 0;

    /// <summary>Binary numeric VRs whose bytes are swapped between little and big endian.</summary>
    public static bool IsBinaryNumber(this DicomVR vr) => (Table[(int)vr].Flags & F.Binary) != 0;

    /// <summary>VRs where leading spaces are part of the value (LT, ST, UT).</summary>
    public static bool KeepsLeadingSpaces(this DicomVR vr) => (Table[(int)vr].Flags & F.KeepLeading) != 0;

    /// <summary>VRs whose large values may stay on disk as bulk data.</summary>
    public static bool MayBeBulk(this DicomVR vr) => (Table[(int)vr].Flags & F.Bulk) != 0;

    /// <summary>Byte used to pad a value to even length: space for text (NUL for UI), NUL for binary.</summary>
    public static byte PaddingByte(this DicomVR vr) => Table[(int)vr].Pad;

    /// <summary>Size in bytes of one binary value (2 for US/SS/OW, 4 for UL/SL/FL/OF/OL, 8 for FD/OD/SV/UV/OV, 2 for AT's halves); 1 for others. Also the byte-swap unit.</summary>
    public static int UnitSize(this DicomVR vr) => Table[(int)vr].Unit;

    /// <summary>Maximum value length in bytes that PS3.5 allows per value (0 = not limited by the VR).</summary>
    public static uint MaxValueLength(this DicomVR vr) => Table[(int)vr].MaxLength;

    /// <summary>The two-letter code.</summary>
    public static string Code(this DicomVR vr) => vr == DicomVR.None ? "??" : vr.ToString();

    /// <summary>Parses the two bytes of an explicit VR header. Returns false for bytes that are not a VR of PS3.5.</summary>
    public static bool TryParse(byte c0, byte c1, out DicomVR vr)
    {
        vr = (c0 << 8 | c1) switch
        {
            0x4145 => DicomVR.AE, 0x4153 => DicomVR.AS, 0x4154 => DicomVR.AT, 0x4353 => DicomVR.CS,
            0x4441 => DicomVR.DA, 0x4453 => DicomVR.DS, 0x4454 => DicomVR.DT, 0x4644 => DicomVR.FD,
            0x464C => DicomVR.FL, 0x4953 => DicomVR.IS, 0x4C4F => DicomVR.LO, 0x4C54 => DicomVR.LT,
            0x4F42 => DicomVR.OB, 0x4F44 => DicomVR.OD, 0x4F46 => DicomVR.OF, 0x4F4C => DicomVR.OL,
            0x4F56 => DicomVR.OV, 0x4F57 => DicomVR.OW, 0x504E => DicomVR.PN, 0x5348 => DicomVR.SH,
            0x534C => DicomVR.SL, 0x5351 => DicomVR.SQ, 0x5353 => DicomVR.SS, 0x5354 => DicomVR.ST,
            0x5356 => DicomVR.SV, 0x544D => DicomVR.TM, 0x5543 => DicomVR.UC, 0x5549 => DicomVR.UI,
            0x554C => DicomVR.UL, 0x554E => DicomVR.UN, 0x5552 => DicomVR.UR, 0x5553 => DicomVR.US,
            0x5554 => DicomVR.UT, 0x5556 => DicomVR.UV,
            _ => DicomVR.None,
        };
        return vr != DicomVR.None;
    }

    /// <summary>Parses a two-letter VR code such as "PN".</summary>
    public static bool TryParse(string? code, out DicomVR vr)
    {
        vr = DicomVR.None;
        return code is { Length: 2 } && TryParse((byte)code[0], (byte)code[1], out vr);
    }

    /// <summary>Writes the two ASCII bytes of the VR code.</summary>
    public static void WriteCode(this DicomVR vr, Span<byte> destination)
    {
        var s = vr.Code();
        destination[0] = (byte)s[0];
        destination[1] = (byte)s[1];
    }
}
