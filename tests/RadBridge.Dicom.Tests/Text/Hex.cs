namespace RadBridge.Dicom.Tests.Text;

internal static class Hex
{
    /// <summary>Bytes from hex digits; spaces are ignored so byte sequences can be written as the standard prints them.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
