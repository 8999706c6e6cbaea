namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>Where the VOI stage of a grey image takes its transformation from.</summary>
public enum VoiSource
{
    /// <summary>The data set's window (index <see cref="RenderOptions.VoiIndex"/>), else its VOI LUT Sequence, else <see cref="Histogram"/>.</summary>
    Auto,
    /// <summary>Window Center/Width number <see cref="RenderOptions.VoiIndex"/> of the data set.</summary>
    Window,
    /// <summary>VOI LUT Sequence item <see cref="RenderOptions.VoiIndex"/> of the data set.</summary>
    LutSequence,
    /// <summary>The 0.5–99.5 percentile range of the frame's modality values (pixel padding left out).</summary>
    Histogram,
    /// <summary>The full range of the frame's modality values.</summary>
    MinMax,
}

/// <summary>How to turn one decoded frame into displayable pixels.</summary>
public sealed record RenderOptions
{
    public static RenderOptions Default { get; } = new();

    /// <summary>Options for a thumbnail: the longest side <paramref name="longestSide"/> pixels (128 by default).</summary>
    public static RenderOptions Thumbnail(int longestSide = 128) => new() { FitInto = (longestSide, longestSide) };

    /// <summary>An explicit window that overrides whatever the data set says (e.g. from `--window 40,400`).</summary>
    public WindowLevel? Window { get; init; }

    public VoiSource VoiSource { get; init; } = VoiSource.Auto;

    /// <summary>Which of several windows or VOI LUTs to use (0-based).</summary>
    public int VoiIndex { get; init; }

    /// <summary>Lower and upper percentile for <see cref="VoiSource.Histogram"/>.</summary>
    public (double Low, double High) HistogramPercentiles { get; init; } = (0.5, 99.5);

    /// <summary>Burn the overlay planes (60xx,3000) into the image in white.</summary>
    public bool BurnOverlays { get; init; } = true;

    /// <summary>8 or 16: sample depth of grey output (colour output is always 8-bit RGB).</summary>
    public int GreyBits { get; init; } = 8;

    /// <summary>
    /// Fit the image inside this box keeping its aspect ratio (area averaging down, bicubic up); null keeps the
    /// stored size.
    /// </summary>
    public (int Width, int Height)? FitInto { get; init; }
}
