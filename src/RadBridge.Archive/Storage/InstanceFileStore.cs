using System.Security.Cryptography;
using System.Text;

namespace RadBridge.Archive.Storage;

/// <summary>
/// The files of the archive: <c>storage/&lt;fan-out&gt;/&lt;Study UID&gt;/&lt;Series UID&gt;/&lt;SOP Instance UID&gt;.dcm</c>,
/// where the fan-out is two hex digits of a hash of the study UID so that no directory holds millions of entries.
/// </summary>
public sealed class InstanceFileStore(ArchiveLocation location)
{
    public string Root { get; } = location.StorageRoot;

    /// <summary>The path, relative to <see cref="Root"/>, that an instance is stored under.</summary>
    public static string RelativePathFor(string studyUid, string seriesUid, string sopInstanceUid)
    {
        var fan = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(studyUid)).AsSpan(0, 1));
        return Path.Combine(fan, SafeSegment(studyUid), SafeSegment(seriesUid), SafeSegment(sopInstanceUid) + ".dcm");
    }

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>Whether a UID is safe as a path segment: 1–64 digits and single dots, not starting or ending with a dot.</summary>
    public static bool IsValidUid(string? uid) =>
        uid is { Length: > 0 and <= 64 } u && u[0] != '.' && u[^1] != '.' && !u.Contains("..", StringComparison.Ordinal) &&
        u.All(c => c is '.' or (>= '0' and <= '9'));

    private static string SafeSegment(string uid) =>
        IsValidUid(uid) ? uid : throw new ArgumentException($"'{uid}' is not a valid UID", nameof(uid));
}
