using System.Globalization;
using System.Text;

namespace RadBridge.Archive.Query;

/// <summary>
/// Folds person names for matching: compatibility-decomposed (full-width Latin becomes ASCII), accents dropped, upper
/// case, and the whole value kept — all three component groups (alphabetic=ideographic=phonetic) — so that "zhang*",
/// "ZHANG^SAN", "Zhāng" and "*张*" all find "Zhang^San=张^三=ㄓㄤ^ㄙㄢ". A query pattern is folded the same way (its
/// <c>*</c> and <c>?</c> survive), so matching folded pattern against folded value is a plain LIKE the index can serve.
/// </summary>
public static class PersonNameFolding
{
    public static string? Fold(string? name)
    {
        if (string.IsNullOrEmpty(name)) return name;
        var decomposed = name.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }
            sb.Append(char.ToUpperInvariant(c));
        }
        // Trailing component separators and spaces carry no meaning (PS3.5 6.2.1.1).
        return sb.ToString().TrimEnd(' ', '^', '=');
    }
}
