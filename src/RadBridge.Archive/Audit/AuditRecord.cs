using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RadBridge.Archive.Audit;

/// <summary>
/// One line of the hash-chained audit log: an <see cref="AuditEvent"/> with its place in the chain (sequence number,
/// hash of the record before it) and its own hash.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>The <see cref="Previous"/> of record 1: the chain's fixed starting point.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Longer detail text is cut (and marked so): a record stays one reasonably short line.</summary>
    public const int MaxDetailLength = 64 * 1024;

    public required long Sequence { get; init; }

    /// <summary>When the event happened, UTC, ISO 8601 with 100 ns precision, kept as written (the hash covers this text).</summary>
    public required string Time { get; init; }
    public required string Actor { get; init; }
    public int? OrganizationId { get; init; }
    public string? OrganizationName { get; init; }
    public required string Action { get; init; }
    public required string Channel { get; init; }
    public string? RemoteAddress { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public required string Outcome { get; init; }
    public string? Detail { get; init; }

    /// <summary>The <see cref="Hash"/> of the record before this one (<see cref="GenesisHash"/> for the first).</summary>
    public required string Previous { get; init; }

    /// <summary>SHA-256 (lower-case hex) of <see cref="CanonicalBytes"/>.</summary>
    public required string Hash { get; init; }

    /// <summary><see cref="Time"/> as a value (records are only read once their time parses).</summary>
    public DateTimeOffset TimeValue => TryParseTime(Time, out var value) ? value : throw new AuditLogException($"audit record {Sequence} has no valid time: \"{Time}\"");

    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>The record that follows <paramref name="previousHash"/> as number <paramref name="sequence"/>, hashed.</summary>
    public static AuditRecord Create(long sequence, string previousHash, AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var unhashed = new AuditRecord
        {
            Sequence = sequence,
            Time = FormatTime(e.Time),
            Actor = Clean(e.Actor),
            OrganizationId = e.OrganizationId,
            OrganizationName = Clean(e.OrganizationName),
            Action = Clean(e.Action),
            Channel = Clean(e.Channel),
            RemoteAddress = Clean(e.RemoteAddress),
            StudyInstanceUid = Clean(e.StudyInstanceUid),
            SeriesInstanceUid = Clean(e.SeriesInstanceUid),
            SopInstanceUid = Clean(e.SopInstanceUid),
            Outcome = Clean(e.Outcome),
            Detail = Clean(e.Detail is { Length: > MaxDetailLength } detail ? string.Concat(detail.AsSpan(0, MaxDetailLength), "…(truncated)") : e.Detail),
            Previous = previousHash,
            Hash = "",
        };
        return unhashed with { Hash = unhashed.ComputeHash() };
    }

    // Text from a request may hold a lone UTF-16 surrogate, which JSON cannot carry: it becomes U+FFFD, as a UTF-8
    // round trip makes it, so the hash is computed over exactly what the file will hold.
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    private static string? Clean(string? text) =>
        text is not null && text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) : text;

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The hash this record should carry, computed from its content (everything but <see cref="Hash"/>).</summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(CanonicalBytes()));

    /// <summary>
    /// What the hash covers: a version line, then each field in a fixed order as <c>name</c>, then <c>-</c> for null or
    /// the UTF-8 byte count, <c>:</c> and the bytes, then a newline. Length prefixes make it unambiguous whatever the
    /// values contain, and it does not depend on how a JSON library escapes strings, so a verifier built with another
    /// library or runtime recomputes the same bytes.
    /// </summary>
    public byte[] CanonicalBytes()
    {
        var text = new StringBuilder(256);
        text.Append("radbridge-audit-v1\n");
        Field(text, "seq", Sequence.ToString(CultureInfo.InvariantCulture));
        Field(text, "time", Time);
        Field(text, "actor", Actor);
        Field(text, "orgId", OrganizationId?.ToString(CultureInfo.InvariantCulture));
        Field(text, "org", OrganizationName);
        Field(text, "action", Action);
        Field(text, "channel", Channel);
        Field(text, "remote", RemoteAddress);
        Field(text, "study", StudyInstanceUid);
        Field(text, "series", SeriesInstanceUid);
        Field(text, "sop", SopInstanceUid);
        Field(text, "outcome", Outcome);
        Field(text, "detail", Detail);
        Field(text, "prev", Previous);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Field(StringBuilder text, string name, string? value)
    {
        text.Append(name).Append(' ');
        if (value is null) text.Append('-');
        else text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        text.Append('\n');
    }
}
