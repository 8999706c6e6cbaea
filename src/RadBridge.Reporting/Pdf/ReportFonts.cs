using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace RadBridge.Reporting.Pdf;

/// <summary>
/// The font files a report PDF is set in: a Latin face (regular and bold) and a face with CJK glyphs, each with the
/// Debian package that provides it so that a missing font names what to install. Text is split into runs by script
/// (see <see cref="ReportTypeface"/>): CJK characters take the CJK face, everything else the Latin one.
/// </summary>
/// <remarks>
/// Why Droid Sans Fallback (fonts-droid-fallback) and not Noto Sans CJK (fonts-noto-cjk): Debian ships Noto CJK only
/// as TrueType collections (.ttc) of CFF-outline faces; PDFsharp 6.5 reads neither collections (CollectionNumber "must
/// be zero") nor subsets CFF outlines — a face cut out of the collection is embedded whole (13 MB per report) under a
/// font type that poppler flags as mismatched. Droid Sans Fallback is a plain TrueType (glyf) face that PDFsharp
/// subsets to the glyphs used (a report is tens of kilobytes). It has no Latin glyphs, hence the DejaVu face beside it.
/// </remarks>
public sealed record ReportFonts(FontFile Latin, FontFile LatinBold, FontFile Cjk)
{
    /// <summary>The Debian locations (fonts-dejavu-core, fonts-droid-fallback).</summary>
    public static ReportFonts Debian { get; } = new(
        new FontFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
        new FontFile("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
        new FontFile("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "fonts-droid-fallback"));

    /// <summary>Throws a <see cref="ReportException"/> naming the Debian package of the first font file that is missing.</summary>
    public void EnsurePresent()
    {
        foreach (var font in new[] { Latin, LatinBold, Cjk })
        {
            if (!File.Exists(font.Path))
            {
                throw new ReportException($"report font {font.Path} is missing: install the Debian package {font.DebianPackage} (apt-get install {font.DebianPackage})");
            }
        }
    }
}

/// <summary>A TrueType font file and the Debian package that installs it.</summary>
public sealed record FontFile(string Path, string DebianPackage)
{
    /// <summary>The family name PDFsharp is given for this file; <see cref="FileFontResolver"/> maps it back to the path.</summary>
    internal string FamilyName => FileFontResolver.FamilyPrefix + Path;
}

/// <summary>
/// PDFsharp's font resolver is process-wide (GlobalFontSettings): this one serves font files by path, so that any
/// <see cref="ReportFonts"/> can be used without re-registering fonts. Font bytes are read once per file.
/// </summary>
internal sealed class FileFontResolver : IFontResolver
{
    internal const string FamilyPrefix = "file:";
    private static readonly Lock InstallLock = new();
    private static bool _installed;
    private readonly ConcurrentDictionary<string, byte[]> _bytes = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver (and PDFsharp's AGPL licence declaration, which 6.5 requires) once per process.</summary>
    internal static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (_installed) return;
            // PDFsharp 6.5 is distributed under the AGPL-3.0 and refuses to work until a licence is declared.
            PdfSharp.PdfSharpLicense.SetAgplLicense();
            GlobalFontSettings.FontResolver = new FileFontResolver();
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName.StartsWith(FamilyPrefix, StringComparison.Ordinal) ? new FontResolverInfo(familyName[FamilyPrefix.Length..]) : null;

    public byte[]? GetFont(string faceName) => _bytes.GetOrAdd(faceName, File.ReadAllBytes);
}
