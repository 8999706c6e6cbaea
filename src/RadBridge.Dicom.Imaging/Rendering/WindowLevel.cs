using System.Globalization;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// A VOI window: Window Center and Width with the VOI LUT Function that interprets them. <see cref="Apply"/> gives the
/// standard's output with y<sub>min</sub> = 0 and y<sub>max</sub> = 1.
/// </summary>
public readonly record struct WindowLevel
{
    /// <exception cref="RenderingException">The width is not allowed for the function (LINEAR needs ≥ 1, the others &gt; 0).</exception>
    public WindowLevel(double center, double width, VoiLutFunction function = VoiLutFunction.Linear, string? explanation = null)
    {
        if (!double.IsFinite(center) || !double.IsFinite(width))
            throw new RenderingException($"window center {center} / width {width} is not a finite number");
        if (function == VoiLutFunction.Linear ? width < 1 : width <= 0)
            throw new RenderingException(string.Create(CultureInfo.InvariantCulture,
                $"Window Width {width} is not allowed for {function} (PS3.3 C.11.2.1.2: LINEAR needs ≥ 1, LINEAR_EXACT and SIGMOID > 0)"));
        Center = center;
        Width = width;
        Function = function;
        Explanation = explanation;
    }

    public double Center { get; }
    public double Width { get; }
    public VoiLutFunction Function { get; }
    /// <summary>Window Center &amp; Width Explanation (0028,1055), e.g. "BONE".</summary>
    public string? Explanation { get; }

    /// <summary>Maps a modality value into [0, 1] with the formula of <see cref="Function"/> (PS3.3 C.11.2.1.2.1, C.11.2.1.3).</summary>
    public double Apply(double x)
    {
        double c = Center, w = Width;
        switch (Function)
        {
            case VoiLutFunction.Linear:
                if (x <= c - 0.5 - (w - 1) / 2) return 0;
                if (x > c - 0.5 + (w - 1) / 2) return 1;
                // Width 1 leaves no interior: the two tests above already split every x.
                return (x - (c - 0.5)) / (w - 1) + 0.5;
            case VoiLutFunction.LinearExact:
                if (x <= c - w / 2) return 0;
                if (x > c + w / 2) return 1;
                return (x - c) / w + 0.5;
            default:
                return 1 / (1 + Math.Exp(-4 * (x - c) / w));
        }
    }

    /// <summary>Parses VOI LUT Function text; unknown or empty text is LINEAR, as the standard's default.</summary>
    public static VoiLutFunction ParseFunction(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LINEAR_EXACT" => VoiLutFunction.LinearExact,
        "SIGMOID" => VoiLutFunction.Sigmoid,
        _ => VoiLutFunction.Linear,
    };

    /// <summary>All windows of a data set's VOI LUT module, in order; invalid pairs are left out.</summary>
    public static IReadOnlyList<WindowLevel> FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var centers = dataset.GetStrings(DicomTags.WindowCenter);
        var widths = dataset.GetStrings(DicomTags.WindowWidth);
        var explanations = dataset.GetStrings(DicomTags.WindowCenterWidthExplanation);
        var function = ParseFunction(dataset.GetString(DicomTags.VOILUTFunction));
        var result = new List<WindowLevel>();
        for (var i = 0; i < Math.Min(centers.Length, widths.Length); i++)
        {
            if (!double.TryParse(centers[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ||
                !double.TryParse(widths[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ||
                !double.IsFinite(c) || !double.IsFinite(w) ||
                (function == VoiLutFunction.Linear ? w < 1 : w <= 0))
                continue;
            result.Add(new WindowLevel(c, w, function, i < explanations.Length ? explanations[i] : null));
        }
        return result;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"C {Center} W {Width} {Function}{(Explanation is null ? "" : " " + Explanation)}");
}
