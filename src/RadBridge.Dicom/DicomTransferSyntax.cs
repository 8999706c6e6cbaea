using System.Collections.Frozen;
using System.Reflection;

namespace RadBridge.Dicom;

/// <summary>
/// A transfer syntax and the encoding facts the reader and writer need. Known syntaxes come from the curated
/// table Data/transfer-syntaxes.tsv (embedded); an unknown UID is treated as Explicit VR Little Endian with
/// encapsulated pixel data, which PS3.5 §10 requires of every new transfer syntax.
/// </summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private static readonly FrozenDictionary<string, DicomTransferSyntax> Known = Load();

    private DicomTransferSyntax(string uid, string keyword, string name, bool explicitVR, bool littleEndian,
        bool encapsulated, bool deflated, bool lossy, bool retired, bool isKnown)
    {
        Uid = uid;
        Keyword = keyword;
        Name = name;
        IsExplicitVR = explicitVR;
        IsLittleEndian = littleEndian;
        IsEncapsulated = encapsulated;
        IsDeflated = deflated;
        IsLossy = lossy;
        IsRetired = retired;
        IsKnown = isKnown;
    }

    public string Uid { get; }
    public string Keyword { get; }
    public string Name { get; }
    public bool IsExplicitVR { get; }
    public bool IsLittleEndian { get; }
    /// <summary>Pixel data is encapsulated (fragments in items), i.e. compressed or otherwise framed.</summary>
    public bool IsEncapsulated { get; }
    /// <summary>The whole data set after the File Meta is a raw deflate stream.</summary>
    public bool IsDeflated { get; }
    public bool IsLossy { get; }
    public bool IsRetired { get; }
    /// <summary>False for a UID that is not in our table (its encoding was assumed).</summary>
    public bool IsKnown { get; }

    public static DicomTransferSyntax ImplicitVRLittleEndian { get; } = Known["1.2.840.10008.1.2"];
    public static DicomTransferSyntax ExplicitVRLittleEndian { get; } = Known["1.2.840.10008.1.2.1"];
    public static DicomTransferSyntax ExplicitVRBigEndian { get; } = Known["1.2.840.10008.1.2.2"];
    public static DicomTransferSyntax DeflatedExplicitVRLittleEndian { get; } = Known["1.2.840.10008.1.2.1.99"];

    /// <summary>All transfer syntaxes of the curated table.</summary>
    public static IEnumerable<DicomTransferSyntax> All => Known.Values.OrderBy(t => t.Uid, StringComparer.Ordinal);

    /// <summary>The transfer syntax for a UID; unknown UIDs get an Explicit VR Little Endian, encapsulated description.</summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var u = uid.TrimEnd('\0', ' ');
        return Known.TryGetValue(u, out var ts)
            ? ts
            : new DicomTransferSyntax(u, "", "Unknown transfer syntax " + u, true, true, true, false, false, false, false);
    }

    /// <summary>True when the UID is in the curated table.</summary>
    public static bool IsKnownUid(string uid) => Known.ContainsKey(uid.TrimEnd('\0', ' '));

    public bool Equals(DicomTransferSyntax? other) => other is not null && other.Uid == Uid;
    public override bool Equals(object? obj) => Equals(obj as DicomTransferSyntax);
    public override int GetHashCode() => Uid.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => $"{Name} ({Uid})";

    private static FrozenDictionary<string, DicomTransferSyntax> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("RadBridge.Dicom.Data.transfer-syntaxes.tsv")
            ?? throw new InvalidOperationException("embedded transfer-syntaxes.tsv is missing");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<string, DicomTransferSyntax>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var c = line.Split('\t');
            map[c[0]] = new DicomTransferSyntax(c[0], c[1], c[8], c[2] == "1", c[3] == "1", c[4] == "1", c[5] == "1", c[6] == "1", c[7] == "1", true);
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
