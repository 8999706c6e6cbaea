using System.Globalization;

namespace RadBridge.Server.DicomWeb;

/// <summary>One media range of an Accept header, with its parameters (names lower-case, quotes removed) and quality.</summary>
internal sealed record MediaRange(string Type, IReadOnlyDictionary<string, string> Parameters, double Quality)
{
    /// <summary>The parameter, or null.</summary>
    public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;

    public bool IsAny => Type == "*/*";

    /// <summary>True for <c>multipart/related</c>.</summary>
    public bool IsMultipart => Type == "multipart/related";

    /// <summary>For <c>multipart/related</c>, the <c>type</c> parameter (the parts' media type), lower-case; else the range itself.</summary>
    public string PartType => IsMultipart ? (this["type"]?.ToLowerInvariant() ?? "") : Type;

    /// <summary>Whether this range accepts <paramref name="mediaType"/> (exact, <c>type/*</c> or <c>*/*</c>).</summary>
    public bool Matches(string mediaType) =>
        IsAny || Type == mediaType || Type.EndsWith("/*", StringComparison.Ordinal) && mediaType.StartsWith(Type[..^1], StringComparison.Ordinal);
}

/// <summary>
/// Parses Accept headers as PS3.18 §8.7 uses them: comma-separated media ranges, each with parameters such as
/// <c>type</c> and <c>transfer-syntax</c> for <c>multipart/related</c>, and a quality <c>q</c>; ranges with q=0 are dropped
/// and the rest are ordered by quality, keeping the client's order among equals.
/// </summary>
internal static class AcceptNegotiation
{
    /// <summary>The acceptable media ranges, best first; an absent or empty header is one <c>*/*</c>.</summary>
    /// <exception cref="DicomWebException">400 for a header that cannot be parsed.</exception>
    public static IReadOnlyList<MediaRange> Parse(IEnumerable<string?> headers)
    {
        var ranges = new List<MediaRange>();
        foreach (var header in headers)
        {
            if (string.IsNullOrWhiteSpace(header)) continue;
            foreach (var item in SplitOutsideQuotes(header, ','))
            {
                if (string.IsNullOrWhiteSpace(item)) continue;
                var range = ParseRange(item);
                if (range.Quality > 0) ranges.Add(range);
            }
        }
        if (ranges.Count == 0) ranges.Add(new MediaRange("*/*", new Dictionary<string, string>(), 1));
        return [.. ranges.OrderByDescending(r => r.Quality)]; // OrderBy is stable.
    }

    private static MediaRange ParseRange(string text)
    {
        var parts = SplitOutsideQuotes(text, ';');
        var type = parts[0].Trim().ToLowerInvariant();
        if (type.Length == 0 || type.Count(c => c == '/') != 1 || type.Any(char.IsWhiteSpace))
            throw new DicomWebException(400, $"Accept: '{text.Trim()}' is not a media range (type/subtype)");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var quality = 1.0;
        foreach (var p in parts.Skip(1))
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = p[..eq].Trim().ToLowerInvariant();
            var value = p[(eq + 1)..].Trim().Trim('"');
            if (name == "q")
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out quality) || quality is < 0 or > 1)
                    throw new DicomWebException(400, $"Accept: q={value} is not a quality between 0 and 1");
            }
            else
            {
                parameters[name] = value;
            }
        }
        return new MediaRange(type, parameters, quality);
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var result = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                result.Add(text[start..i]);
                start = i + 1;
            }
        }
        result.Add(text[start..]);
        return result;
    }
}
