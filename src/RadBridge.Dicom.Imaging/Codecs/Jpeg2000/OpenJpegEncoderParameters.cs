namespace RadBridge.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// opj_cparameters_t handled as an opaque block: OpenJPEG fills it with opj_set_default_encoder_parameters and we
/// write only the handful of fields we change, at their offsets. Mirroring the whole 18,720-byte struct (three
/// 4 KB path buffers, JPWL arrays, 32 POC entries) would add dozens of fields to get wrong for five that matter,
/// and moving the setup into the C++ shim would make JPEG 2000 depend on g++. The offsets are those of
/// openjpeg-2.5/openjpeg.h on LP64 (the struct only grew at its end across 2.x), and
/// OpenJpegLayoutTests compiles a probe against the installed header to prove them.
/// </summary>
internal static class OpenJpegEncoderParameters
{
    public const int Size = 18720;
    public const int CpDistoAlloc = 20;    // int: rate given by tcp_rates (compression ratios)
    public const int ProgOrder = 52;       // OPJ_PROG_ORDER
    public const int TcpNumLayers = 4796;  // int
    public const int TcpRates = 4800;      // float[100]: compression ratio per layer, 0 = lossless/all bit planes
    public const int NumResolution = 5600; // int: decomposition levels + 1
    public const int Irreversible = 5616;  // int: 1 = 9/7 wavelet and ICT
    public const int TcpMct = 18698;       // char: 1 = multi-component transform (RCT or ICT)

    /// <summary>All the offsets, by C field name, for the layout test.</summary>
    public static IReadOnlyDictionary<string, int> Offsets { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["cp_disto_alloc"] = CpDistoAlloc,
        ["prog_order"] = ProgOrder,
        ["tcp_numlayers"] = TcpNumLayers,
        ["tcp_rates"] = TcpRates,
        ["numresolution"] = NumResolution,
        ["irreversible"] = Irreversible,
        ["tcp_mct"] = TcpMct,
    };
}
