using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace RadBridge.Dicom;

/// <summary>
/// The GB 18030 codes whose mapping changed after GB 18030-2000, the table .NET's code pages 54936 and 936 implement
/// (Data/gb18030-2022.tsv): .NET reads each of these two-byte codes as a private-use character, GB 18030-2022 assigns
/// it a real one. <see cref="ChineseCodec"/> builds its tables with these corrections.
/// </summary>
internal static class Gb18030Overlay
{
    /// <summary>Private-use character .NET decodes to the GB 18030-2022 character of the same code.</summary>
    public static FrozenDictionary<char, char> ToStandard { get; } = Load();

    private static FrozenDictionary<char, char> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("RadBridge.Dicom.Data.gb18030-2022.tsv")
            ?? throw new InvalidOperationException("embedded gb18030-2022.tsv is missing");
        using var reader = new StreamReader(stream);
        var toStandard = new Dictionary<char, char>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var c = line.Split('\t');
            var standard = (char)int.Parse(c[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var privateUse = (char)int.Parse(c[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            toStandard[privateUse] = standard;
        }
        return toStandard.ToFrozenDictionary();
    }
}
