using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RadBridge.Dicom.Deidentification;

// Interim "2.25." UID helper until DicomUid (branch values) is in main: the same algorithms (PS3.5 §B.2 for UUIDs,
// RFC 9562 UUIDv8 with SHA-256 for names), so switching changes no output.
internal static class InterimUid
{
    private static readonly Guid OidNamespace = new("6ba7b812-9dad-11d1-80b4-00c04fd430c8");

    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        return FromUuidBytes(bytes);
    }

    // v8(v8(OID namespace, namespaceName), name), as DicomUid.FromName(string, string).
    public static string FromName(string namespaceName, string name)
    {
        Span<byte> ns = stackalloc byte[16];
        NameBasedUuid(OidNamespace, namespaceName, ns);
        Span<byte> uuid = stackalloc byte[16];
        NameBasedUuid(new Guid(ns, bigEndian: true), name, uuid);
        return FromUuidBytes(uuid);
    }

    private static string FromUuidBytes(ReadOnlySpan<byte> rfcOrder) =>
        "2.25." + BinaryPrimitives.ReadUInt128BigEndian(rfcOrder).ToString(CultureInfo.InvariantCulture);

    private static void NameBasedUuid(Guid namespaceId, string name, Span<byte> destination)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        hash[..16].CopyTo(destination);
        destination[6] = (byte)((destination[6] & 0x0F) | 0x80);
        destination[8] = (byte)((destination[8] & 0x3F) | 0x80);
    }
}
