using System.Text;

namespace RadBridge.Dicom;

// Interim minimal implementation; replaced by the full Specific Character Set support (branch charset).
public sealed class DicomTextEncoding
{
    private readonly Encoding _encoding;

    static DicomTextEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private DicomTextEncoding(Encoding encoding) => _encoding = encoding;

    public static DicomTextEncoding Default { get; } = new(Encoding.Latin1);

    public static DicomTextEncoding FromSpecificCharacterSet(IReadOnlyList<string>? terms)
    {
        var t = terms is { Count: > 0 } ? terms[0].Trim() : "";
        return t switch
        {
            "ISO_IR 192" => new DicomTextEncoding(new UTF8Encoding(false)),
            "GB18030" => new DicomTextEncoding(Encoding.GetEncoding("GB18030")),
            _ => Default,
        };
    }

    public string Decode(ReadOnlySpan<byte> value, DicomVR vr) =>
        vr.UsesSpecificCharacterSet() ? _encoding.GetString(value) : Encoding.Latin1.GetString(value);

    public byte[] Encode(string value, DicomVR vr) =>
        vr.UsesSpecificCharacterSet() ? _encoding.GetBytes(value) : Encoding.Latin1.GetBytes(value);

    public static IReadOnlyList<string> ChooseFor(string text, string? preferred = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.All(c => c < 0x80)) return [];
        return preferred == "GB18030" ? ["GB18030"] : ["ISO_IR 192"];
    }
}
