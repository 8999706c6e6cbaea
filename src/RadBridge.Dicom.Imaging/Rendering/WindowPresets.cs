namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>Common CT windows by name (Hounsfield units), for `--window lung` and the viewer's preset menu.</summary>
public static class WindowPresets
{
    private static readonly Dictionary<string, (double Center, double Width)> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["brain"] = (40, 80),
        ["subdural"] = (75, 215),
        ["stroke"] = (32, 8),
        ["soft-tissue"] = (50, 400),
        ["mediastinum"] = (50, 350),
        ["liver"] = (30, 150),
        ["lung"] = (-600, 1500),
        ["bone"] = (400, 1800),
        ["temporal-bone"] = (600, 2800),
    };

    /// <summary>The preset names.</summary>
    public static IEnumerable<string> Names => Presets.Keys;

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), LINEAR function.</summary>
    public static bool TryGet(string name, out WindowLevel window)
    {
        if (Presets.TryGetValue(name, out var p))
        {
            window = new WindowLevel(p.Center, p.Width, VoiLutFunction.Linear, name);
            return true;
        }
        window = default;
        return false;
    }
}
