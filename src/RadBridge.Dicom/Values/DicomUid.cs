using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RadBridge.Dicom;

/// <summary>
/// A UI (Unique Identifier) value: PS3.5 §9.1 and Table 6.2-1. At most 64 characters; components of digits
/// separated by "."; no empty component; no leading zero in a component other than "0" itself.
/// </summary>
/// <remarks>
/// Strict parsing removes the trailing NUL padding the standard prescribes and nothing else.
/// <see cref="DicomParseMode.Lenient"/> also removes leading and trailing spaces (space-padded UIDs are a common
/// writer error) and accepts components with leading zeros ("1.2.040"), which old equipment produced; such a
/// UID is kept as written, since rewriting it would change its identity.
/// </remarks>
public readonly record struct DicomUid
{
    /// <summary>Maximum length of a UID (PS3.5 §9.1).</summary>
    public const int MaxLength = 64;

    /// <summary>The root of UUID-derived UIDs, PS3.5 §B.2 / ISO/IEC 9834-8 (joint-iso-itu-t uuid).</summary>
    public const string UuidRoot = "2.25";

    /// <summary>
    /// The RFC 4122 namespace for ISO OIDs (6ba7b812-9dad-11d1-80b4-00c04fd430c8), used by
    /// <see cref="FromName(string, string)"/> to turn a namespace string into a namespace UUID.
    /// </summary>
    public static readonly Guid OidNamespace = new("6ba7b812-9dad-11d1-80b4-00c04fd430c8");

    private readonly string? _value;

    private DicomUid(string value) => _value = value;

    /// <summary>The UID text ("" for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True when <paramref name="value"/> is a UID per PS3.5 §9.1 as it stands (no padding removed).</summary>
    public static bool IsValid([NotNullWhen(true)] string? value) => value is not null && IsValid(value.AsSpan(), allowLeadingZeros: false);

    private static bool IsValid(ReadOnlySpan<char> s, bool allowLeadingZeros)
    {
        if (s.IsEmpty || s.Length > MaxLength) return false;
        foreach (var range in s.Split('.'))
        {
            var component = s[range];
            if (!DicomValueText.AllDigits(component)) return false;
            if (!allowLeadingZeros && component.Length > 1 && component[0] == '0') return false;
        }
        return true;
    }

    /// <summary>Parses a UID; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomUid Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM UID.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomUid)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomUid value) => TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses a UID after removing its padding (see the type remarks).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomUid value)
    {
        value = default;
        if (text is null) return false;
        var lenient = mode == DicomParseMode.Lenient;
        var s = lenient ? text.AsSpan().Trim(" \0") : text.AsSpan().TrimEnd('\0');
        if (!IsValid(s, allowLeadingZeros: lenient)) return false;
        value = new DicomUid(s.Length == text.Length ? text : s.ToString());
        return true;
    }

    /// <summary>
    /// A new UID "2.25.n" where n is a random (version 4) UUID read as an unsigned 128-bit integer (PS3.5 §B.2).
    /// At most 44 characters.
    /// </summary>
    public static DicomUid Generate() => FromGuid(Guid.NewGuid());

    /// <summary>
    /// The UID "2.25.n" for a UUID (PS3.5 §B.2, ISO/IEC 9834-8 §6.3): n is the UUID's 128 bits read as one
    /// unsigned big-endian integer in the field order of RFC 4122/9562 (time_low first) — the order of its
    /// "xxxxxxxx-xxxx-…" text, not the mixed-endian layout of <see cref="Guid.ToByteArray()"/>. For example
    /// f81d4fae-7dec-11d0-a765-00a0c91e6bf6 → 2.25.329800735698586629295641978511506172918.
    /// </summary>
    public static DicomUid FromGuid(Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        return FromUuidBytes(bytes);
    }

    private static DicomUid FromUuidBytes(ReadOnlySpan<byte> rfcOrder) =>
        new(string.Concat(UuidRoot, ".", BinaryPrimitives.ReadUInt128BigEndian(rfcOrder).ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// A deterministic "2.25." UID for <paramref name="name"/> within <paramref name="namespaceId"/>: the
    /// name-based UUIDv8 of RFC 9562 §5.8 and Appendix B.2, i.e. SHA-256 over the namespace UUID's 16 bytes in
    /// RFC order followed by the UTF-8 bytes of the name, truncated to 128 bits, with the version nibble set to 8
    /// and the variant bits to 10; then <see cref="FromGuid"/>. The same inputs always give the same UID, which
    /// is what de-identification needs to remap a UID consistently across instances and runs.
    /// </summary>
    /// <remarks>
    /// SHA-256 rather than UUIDv5's SHA-1, as RFC 9562 recommends for new name-based UUIDs. The mapping is
    /// one-way but not secret: anyone who knows the namespace and can guess the name can recompute it, so a
    /// de-identification profile that must resist re-identification should put a secret in the namespace.
    /// </remarks>
    public static DicomUid FromName(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> uuid = stackalloc byte[16];
        NameBasedUuid(namespaceId, name, uuid);
        return FromUuidBytes(uuid);
    }

    /// <summary>
    /// <see cref="FromName(Guid, string)"/> with a namespace given as text (for example a project's UID root, or
    /// a de-identification profile name plus secret): the namespace UUID is itself the name-based UUIDv8 of
    /// <paramref name="namespaceName"/> within the RFC 4122 OID namespace (<see cref="OidNamespace"/>).
    /// Reproducible elsewhere as <c>v8(v8(6ba7b812-9dad-11d1-80b4-00c04fd430c8, namespaceName), name)</c>.
    /// </summary>
    public static DicomUid FromName(string namespaceName, string name)
    {
        ArgumentNullException.ThrowIfNull(namespaceName);
        Span<byte> ns = stackalloc byte[16];
        NameBasedUuid(OidNamespace, namespaceName, ns);
        return FromName(new Guid(ns, bigEndian: true), name);
    }

    /// <summary>RFC 9562 Appendix B.2: SHA-256(namespace ‖ UTF-8 name), first 16 bytes, version 8, variant 10.</summary>
    private static void NameBasedUuid(Guid namespaceId, string name, Span<byte> destination)
    {
        var nameBytes = Encoding.UTF8.GetByteCount(name);
        var input = new byte[16 + nameBytes];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        hash[..16].CopyTo(destination);
        destination[6] = (byte)((destination[6] & 0x0F) | 0x80);
        destination[8] = (byte)((destination[8] & 0x3F) | 0x80);
    }

    /// <summary>The UID text.</summary>
    public override string ToString() => Value;
}
