namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>The marker codes the coders use (ITU-T T.81 Table B.1), as the byte that follows 0xFF.</summary>
internal static class JpegMarker
{
    public const byte Sof0Baseline = 0xC0;
    public const byte Sof1ExtendedHuffman = 0xC1;
    public const byte Sof2ProgressiveHuffman = 0xC2;
    public const byte Sof3LosslessHuffman = 0xC3;
    public const byte Dht = 0xC4;
    public const byte Dac = 0xCC;
    public const byte Rst0 = 0xD0;
    public const byte Rst7 = 0xD7;
    public const byte Soi = 0xD8;
    public const byte Eoi = 0xD9;
    public const byte Sos = 0xDA;
    public const byte Dqt = 0xDB;
    public const byte Dnl = 0xDC;
    public const byte Dri = 0xDD;
    public const byte App0 = 0xE0;
    public const byte App14 = 0xEE;

    /// <summary>SOF markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC).</summary>
    public static bool IsStartOfFrame(byte m) => m is >= 0xC0 and <= 0xCF and not Dht and not 0xC8 and not Dac;

    /// <summary>Markers without a length field (T.81 B.1.1.3): SOI, EOI, RSTn, TEM.</summary>
    public static bool IsStandalone(byte m) => m is Soi or Eoi or 0x01 or (>= Rst0 and <= Rst7);

    /// <summary>A name for messages, e.g. "SOF2 (progressive)".</summary>
    public static string Describe(byte sof) => sof switch
    {
        0xC0 => "SOF0 (baseline)",
        0xC1 => "SOF1 (extended sequential)",
        0xC2 => "SOF2 (progressive)",
        0xC3 => "SOF3 (lossless)",
        >= 0xC5 and <= 0xC7 => $"SOF{sof - 0xC0} (hierarchical)",
        >= 0xC9 and <= 0xCF => $"SOF{sof - 0xC0} (arithmetic coding)",
        _ => $"marker 0x{sof:X2}",
    };
}
