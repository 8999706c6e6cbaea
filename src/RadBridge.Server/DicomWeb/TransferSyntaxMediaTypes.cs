using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// The media types of frames by transfer syntax (PS3.18 Table 8.7.3-5 and friends) and what the server can transcode.
/// </summary>
internal static class TransferSyntaxMediaTypes
{
    public const string OctetStream = "application/octet-stream";
    public const string Dicom = "application/dicom";
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    private static readonly Dictionary<string, string> ByUid = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.1.2.4.50"] = "image/jpeg",
        ["1.2.840.10008.1.2.4.51"] = "image/jpeg",
        ["1.2.840.10008.1.2.4.57"] = "image/jpeg",
        ["1.2.840.10008.1.2.4.70"] = "image/jpeg",
        ["1.2.840.10008.1.2.4.80"] = "image/jls",
        ["1.2.840.10008.1.2.4.81"] = "image/jls",
        ["1.2.840.10008.1.2.4.90"] = "image/jp2",
        ["1.2.840.10008.1.2.4.91"] = "image/jp2",
        ["1.2.840.10008.1.2.4.92"] = "image/jpx",
        ["1.2.840.10008.1.2.4.93"] = "image/jpx",
        ["1.2.840.10008.1.2.4.201"] = "image/jphc",
        ["1.2.840.10008.1.2.4.202"] = "image/jphc",
        ["1.2.840.10008.1.2.4.203"] = "image/jphc",
        ["1.2.840.10008.1.2.5"] = "image/dicom-rle",
        ["1.2.840.10008.1.2.4.100"] = "video/mpeg",
        ["1.2.840.10008.1.2.4.101"] = "video/mpeg",
        ["1.2.840.10008.1.2.4.102"] = "video/mp4",
        ["1.2.840.10008.1.2.4.103"] = "video/mp4",
    };

    /// <summary>The default transfer syntax of a frame media type when the Accept header names none (PS3.18 Table 8.7.3-5).</summary>
    private static readonly Dictionary<string, string> DefaultUid = new(StringComparer.Ordinal)
    {
        ["image/jpeg"] = "1.2.840.10008.1.2.4.70",
        ["image/jls"] = "1.2.840.10008.1.2.4.80",
        ["image/jp2"] = "1.2.840.10008.1.2.4.90",
        ["image/jpx"] = "1.2.840.10008.1.2.4.92",
        ["image/jphc"] = "1.2.840.10008.1.2.4.201",
        ["image/dicom-rle"] = "1.2.840.10008.1.2.5",
        [OctetStream] = ExplicitVRLittleEndian,
    };

    /// <summary>The media type a frame of this syntax is sent as: its compressed type, else application/octet-stream.</summary>
    public static string FrameMediaType(string transferSyntaxUid) => ByUid.GetValueOrDefault(transferSyntaxUid, OctetStream);

    /// <summary>The transfer syntax the frame media type stands for when no transfer-syntax parameter is given.</summary>
    public static string? DefaultFor(string mediaType) => DefaultUid.GetValueOrDefault(mediaType);

    /// <summary>Whether a data set stored in <paramref name="from"/> can be transcoded to <paramref name="to"/>.</summary>
    public static bool CanTranscode(string from, string to)
    {
        if (from == to) return true;
        if (!DicomTransferSyntax.IsKnownUid(to)) return false;
        var source = DicomTransferSyntax.Lookup(from);
        var target = DicomTransferSyntax.Lookup(to);
        if (source.IsEncapsulated && PixelCodecRegistry.Default.Find(from) is null) return false;
        return !target.IsEncapsulated || PixelCodecRegistry.Default.Find(to)?.CanEncode(to) == true;
    }

    /// <summary>Whether frames stored in <paramref name="from"/> can be decoded (native frames always can).</summary>
    public static bool CanDecode(string from) =>
        !DicomTransferSyntax.Lookup(from).IsEncapsulated || PixelCodecRegistry.Default.Find(from) is not null;

    /// <summary>Whether frames can be encoded in <paramref name="to"/> (an encapsulated syntax with an encoder).</summary>
    public static bool CanEncode(string to) =>
        DicomTransferSyntax.IsKnownUid(to) && DicomTransferSyntax.Lookup(to).IsEncapsulated && PixelCodecRegistry.Default.Find(to)?.CanEncode(to) == true;
}
