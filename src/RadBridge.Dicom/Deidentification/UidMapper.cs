using System.Collections.Concurrent;

namespace RadBridge.Dicom.Deidentification;

/// <summary>
/// Maps original UIDs to replacement UIDs (action U of PS3.15 Table E.1-1) consistently: the same original always
/// gives the same replacement from one mapper, so a study, its series, and references between instances stay
/// linked across any number of files. With a secret the replacement is a name-based "2.25." UID (RFC 9562 UUIDv8
/// over SHA-256, the namespace derived from the secret) and is the same in every run; without one it is a random
/// "2.25." UID remembered by this mapper. Thread-safe.
/// </summary>
public sealed class UidMapper
{
    // Keeps the secret out of the namespace text's reach by prefixing a purpose label (one secret may serve
    // several derivations: UIDs, pseudonyms, date shifts).
    private const string NamespacePrefix = "RadBridge de-identification UID\n";

    private readonly ConcurrentDictionary<string, string> _map = new(StringComparer.Ordinal);
    private readonly string? _namespace;

    /// <summary>A mapper; <paramref name="secret"/> makes the mapping deterministic across runs.</summary>
    public UidMapper(string? secret = null)
    {
        if (secret is not null) ArgumentException.ThrowIfNullOrEmpty(secret);
        _namespace = secret is null ? null : NamespacePrefix + secret;
    }

    /// <summary>True when the mapping is derived from a secret (reproducible), false when random.</summary>
    public bool IsDeterministic => _namespace is not null;

    /// <summary>Number of distinct UIDs mapped so far.</summary>
    public int Count => _map.Count;

    /// <summary>The replacement for <paramref name="uid"/> (padding removed first); the same for the same input.</summary>
    public string Map(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var key = uid.Trim(' ', '\0');
        ArgumentException.ThrowIfNullOrEmpty(key, nameof(uid));
        return _map.GetOrAdd(key, static (k, ns) => ns is null ? DicomUid.Generate().Value : DicomUid.FromName(ns, k).Value, _namespace);
    }

    /// <summary>True when <paramref name="uid"/> has been mapped by this mapper.</summary>
    public bool TryGetMapped(string uid, out string replacement)
    {
        ArgumentNullException.ThrowIfNull(uid);
        return _map.TryGetValue(uid.Trim(' ', '\0'), out replacement!);
    }

    /// <summary>A snapshot of the mapping so far (original → replacement), e.g. to keep as a re-identification key.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>(_map, StringComparer.Ordinal);
}
