namespace RadBridge.Dicom.Deidentification;

/// <summary>What de-identifying one data set did, counted per attribute (nested ones included).</summary>
public sealed record DatasetDeidentificationResult
{
    /// <summary>Attributes removed (a removed sequence counts once, whatever it held).</summary>
    public int Removed { get; init; }

    /// <summary>Attributes whose value was replaced: dummies, zero-length values, replacement UIDs, shifted dates, cleaned text.</summary>
    public int Changed { get; init; }

    /// <summary>Of <see cref="Changed"/>, the attributes whose UIDs were replaced.</summary>
    public int UidsReplaced { get; init; }

    /// <summary>Of <see cref="Changed"/>, the date and date-time attributes shifted (Modified Dates option).</summary>
    public int DatesShifted { get; init; }

    /// <summary>Attributes added: Patient Identity Removed, De-identification Method and its codes, Longitudinal Temporal Information Modified.</summary>
    public int Added { get; init; }

    /// <summary>The date shift applied to this patient in days (0 when dates were not shifted).</summary>
    public int DateShiftDays { get; init; }
}

/// <summary>One file de-identified by <see cref="DicomDeidentifier.DeidentifyFile"/>.</summary>
/// <param name="InputPath">The file read.</param>
/// <param name="OutputPath">The file written.</param>
/// <param name="Result">The counts.</param>
public sealed record FileDeidentificationResult(string InputPath, string OutputPath, DatasetDeidentificationResult Result);

/// <summary>A file <see cref="DicomDeidentifier.DeidentifyDirectory"/> did not write, and why.</summary>
/// <param name="InputPath">The file.</param>
/// <param name="Reason">Why (not DICOM, unreadable…).</param>
public sealed record SkippedFile(string InputPath, string Reason);

/// <summary>The outcome of de-identifying a folder.</summary>
public sealed record DeidentificationReport
{
    /// <summary>Files de-identified, in the order processed (ordinal order of relative paths).</summary>
    public IReadOnlyList<FileDeidentificationResult> Files { get; init; } = [];

    /// <summary>Files not written, with the reason.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; init; } = [];

    /// <summary>Sum of <see cref="DatasetDeidentificationResult.Removed"/> over the files.</summary>
    public int Removed => Files.Sum(f => f.Result.Removed);

    /// <summary>Sum of <see cref="DatasetDeidentificationResult.Changed"/> over the files.</summary>
    public int Changed => Files.Sum(f => f.Result.Changed);

    /// <summary>Distinct UIDs replaced over the whole run (one mapper serves every file).</summary>
    public int DistinctUidsMapped { get; init; }
}
