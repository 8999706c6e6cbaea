using System.Text;

namespace RadBridge.Dicom;

/// <summary>
/// The .NET encodings behind the character sets. GB18030, GBK and the CJK tables come from
/// <see cref="CodePagesEncodingProvider"/>, which .NET does not register by default; registering it here, once, means
/// no caller has to remember a global setup call.
/// </summary>
internal static class CodePages
{
    static CodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Strict for writing (unencodable characters throw), lenient for reading (bad bytes become U+FFFD).</summary>
    public static Encoding Get(int codePage) =>
        Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("\uFFFD"));

    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}
