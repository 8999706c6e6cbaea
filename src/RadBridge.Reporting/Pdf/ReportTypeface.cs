using System.Globalization;
using System.Text;
using PdfSharp.Drawing;

namespace RadBridge.Reporting.Pdf;

/// <summary>
/// One size and weight of report text as a pair of PDFsharp fonts: CJK characters are set in the CJK face, everything
/// else in the Latin face (neither face covers both scripts). Measures, draws and wraps mixed text run by run.
/// </summary>
internal sealed class ReportTypeface
{
    private readonly XFont _latin;
    private readonly XFont _cjk;

    public ReportTypeface(ReportFonts fonts, double size, bool bold)
    {
        _latin = new XFont((bold ? fonts.LatinBold : fonts.Latin).FamilyName, size);
        // The CJK face has no bold; PDFsharp cannot simulate bold either, so headings in Chinese stay regular.
        _cjk = new XFont(fonts.Cjk.FamilyName, size);
        Size = size;
        LineHeight = Math.Max(_latin.GetHeight(), _cjk.GetHeight());
        Ascent = size * _latin.Metrics.Ascent / _latin.Metrics.UnitsPerEm;
    }

    public double Size { get; }

    /// <summary>Distance between baselines of consecutive lines.</summary>
    public double LineHeight { get; }

    /// <summary>Distance from the top of a line to its baseline.</summary>
    public double Ascent { get; }

    public double Measure(XGraphics g, string text)
    {
        var width = 0.0;
        foreach (var (run, cjk) in Runs(text)) width += g.MeasureString(run, cjk ? _cjk : _latin).Width;
        return width;
    }

    /// <summary>Draws one line with its top at <paramref name="top"/>.</summary>
    public void Draw(XGraphics g, string text, XBrush brush, double x, double top)
    {
        var baseline = top + Ascent;
        foreach (var (run, cjk) in Runs(text))
        {
            var font = cjk ? _cjk : _latin;
            g.DrawString(run, font, brush, x, baseline, XStringFormats.BaseLineLeft);
            x += g.MeasureString(run, font).Width;
        }
    }

    /// <summary>
    /// Breaks a text into lines no wider than <paramref name="width"/>: at spaces between Latin words, between any two
    /// CJK characters (Chinese has no spaces), and inside a word only when the word alone is too wide. Line breaks in
    /// the text are kept; an empty line stays an empty line.
    /// </summary>
    public List<string> Wrap(XGraphics g, string text, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var token in Tokens(paragraph))
            {
                var candidate = line.Length == 0 ? token.TrimStart() : line.ToString() + token;
                if (candidate.Length == 0) continue;
                if (Measure(g, candidate) <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }
                if (line.Length > 0) lines.Add(line.ToString().TrimEnd());
                line.Clear();
                var word = token.TrimStart();
                // A word wider than the whole line (a long URL, a number run) is cut where it must be.
                while (word.Length > 0)
                {
                    var fit = FittingPrefix(g, word, width);
                    if (fit == word.Length) break;
                    lines.Add(word[..fit]);
                    word = word[fit..];
                }
                line.Append(word);
            }
            lines.Add(line.ToString().TrimEnd());
        }
        return lines;
    }

    /// <summary>
    /// How many chars of <paramref name="word"/> fit in <paramref name="width"/> (whole text elements, at least one):
    /// widths are summed element by element, so a long word costs one measurement per element, not per prefix.
    /// </summary>
    private int FittingPrefix(XGraphics g, string word, double width)
    {
        var fit = 0;
        var used = 0.0;
        foreach (var (start, length) in StringInfoElements(word))
        {
            used += Measure(g, word.Substring(start, length));
            // At least one text element per line, or a glyph wider than the column would loop forever.
            if (used > width && fit > 0) break;
            fit = start + length;
        }
        return fit;
    }

    private static IEnumerable<(int Start, int Length)> StringInfoElements(string s)
    {
        var e = StringInfo.GetTextElementEnumerator(s);
        while (e.MoveNext()) yield return (e.ElementIndex, e.GetTextElement().Length);
    }

    /// <summary>Break opportunities: a CJK character on its own, a Latin word with the spaces before it.</summary>
    internal static IEnumerable<string> Tokens(string paragraph)
    {
        var token = new StringBuilder();
        var inWord = false;
        foreach (var rune in paragraph.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                if (token.Length > 0) yield return token.ToString();
                token.Clear();
                yield return rune.ToString();
                inWord = false;
            }
            else if (Rune.IsWhiteSpace(rune))
            {
                if (inWord) { yield return token.ToString(); token.Clear(); inWord = false; }
                token.Append(' ');
            }
            else
            {
                token.Append(rune.ToString());
                inWord = true;
            }
        }
        if (token.Length > 0) yield return token.ToString();
    }

    /// <summary>The text cut into runs of one face each.</summary>
    internal static IEnumerable<(string Text, bool Cjk)> Runs(string text)
    {
        var run = new StringBuilder();
        var runIsCjk = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var cjk = IsCjk(rune);
            if (run.Length > 0 && cjk != runIsCjk)
            {
                yield return (run.ToString(), runIsCjk);
                run.Clear();
            }
            runIsCjk = cjk;
            run.Append(rune.ToString());
        }
        if (run.Length > 0) yield return (run.ToString(), runIsCjk);
    }

    /// <summary>Characters set in the CJK face: CJK scripts, their punctuation and the full-width forms.</summary>
    internal static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x2E80 and <= 0x2FDF => true,   // CJK radicals, Kangxi radicals
        >= 0x3000 and <= 0x303F => true,   // CJK symbols and punctuation (、。「」)
        >= 0x3040 and <= 0x31FF => true,   // kana, bopomofo, strokes
        >= 0x3200 and <= 0x4DBF => true,   // enclosed CJK, compatibility, extension A
        >= 0x4E00 and <= 0x9FFF => true,   // unified ideographs
        >= 0xAC00 and <= 0xD7AF => true,   // Hangul syllables
        >= 0xF900 and <= 0xFAFF => true,   // compatibility ideographs
        >= 0xFE30 and <= 0xFE4F => true,   // CJK compatibility forms
        >= 0xFF00 and <= 0xFFEF => true,   // full-width forms (，：（）)
        >= 0x20000 and <= 0x3FFFF => true, // supplementary ideographs
        _ => false,
    };
}
