namespace RadBridge.Dicom;

/// <summary>
/// The last component present in a DA, TM or DT value. PS3.5 §6.2 (Table 6.2-1): trailing null components
/// mean the value is not precise to those components, so the precision is part of the value.
/// </summary>
/// <remarks>TM uses <see cref="Hour"/> to <see cref="Fraction6"/>; DT uses the whole range.</remarks>
public enum DicomTemporalPrecision : byte
{
    /// <summary>YYYY.</summary>
    Year,
    /// <summary>…MM (month).</summary>
    Month,
    /// <summary>…DD.</summary>
    Day,
    /// <summary>…HH.</summary>
    Hour,
    /// <summary>…MM (minute).</summary>
    Minute,
    /// <summary>…SS.</summary>
    Second,
    /// <summary>…SS.F (tenths of a second).</summary>
    Fraction1,
    /// <summary>…SS.FF.</summary>
    Fraction2,
    /// <summary>…SS.FFF (milliseconds).</summary>
    Fraction3,
    /// <summary>…SS.FFFF.</summary>
    Fraction4,
    /// <summary>…SS.FFFFF.</summary>
    Fraction5,
    /// <summary>…SS.FFFFFF (microseconds, the finest DICOM allows).</summary>
    Fraction6,
}
