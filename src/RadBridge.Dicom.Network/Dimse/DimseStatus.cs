namespace RadBridge.Dicom.Network.Dimse;

/// <summary>The category of a DIMSE status (PS3.7 §C.1).</summary>
public enum DimseStatusCategory
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}

/// <summary>
/// A DIMSE status code (0000,0900) with its category and meaning. The codes the standard names are the one table in
/// <see cref="Table"/> (PS3.7 Annex C, and the service-specific codes of PS3.4 Annexes B and C).
/// </summary>
public readonly record struct DimseStatus(ushort Code)
{
    /// <summary>(code, meaning) — PS3.7 Annex C.1–C.5 general statuses and PS3.4 B.2.3 / C.4 service statuses.</summary>
    public static IReadOnlyList<(ushort Code, string Meaning)> Table { get; } =
    [
        (0x0000, "Success"),
        (0x0001, "Warning: requested optional attributes are not supported"),
        (0x0107, "Warning: attribute list error"),
        (0x0116, "Warning: attribute value out of range"),
        (0xB000, "Warning: coercion of data elements"),
        (0xB006, "Warning: elements discarded"),
        (0xB007, "Warning: data set does not match SOP class"),
        (0xFE00, "Cancel: sub-operations terminated due to cancel indication"),
        (0xFF00, "Pending: matches are continuing"),
        (0xFF01, "Pending: matches are continuing, optional keys not supported"),
        (0x0105, "Failure: no such attribute"),
        (0x0106, "Failure: invalid attribute value"),
        (0x0110, "Failure: processing failure"),
        (0x0111, "Failure: duplicate SOP instance"),
        (0x0112, "Failure: no such SOP instance"),
        (0x0113, "Failure: no such event type"),
        (0x0114, "Failure: no such argument"),
        (0x0115, "Failure: invalid argument value"),
        (0x0117, "Failure: invalid object instance"),
        (0x0118, "Failure: no such SOP class"),
        (0x0119, "Failure: class-instance conflict"),
        (0x0120, "Failure: missing attribute"),
        (0x0121, "Failure: missing attribute value"),
        (0x0122, "Failure: SOP class not supported"),
        (0x0123, "Failure: no such action type"),
        (0x0124, "Failure: refused: not authorized"),
        (0x0210, "Failure: duplicate invocation"),
        (0x0211, "Failure: unrecognized operation"),
        (0x0212, "Failure: mistyped argument"),
        (0x0213, "Failure: resource limitation"),
        (0xA700, "Failure: refused: out of resources"),
        (0xA701, "Failure: refused: out of resources, unable to calculate number of matches"),
        (0xA702, "Failure: refused: out of resources, unable to perform sub-operations"),
        (0xA801, "Failure: refused: move destination unknown"),
        (0xA900, "Failure: data set does not match SOP class (error) / identifier does not match SOP class"),
        (0xC000, "Failure: cannot understand"),
    ];

    // After Table: static initializers run in text order.
    private static readonly Dictionary<ushort, string> Names = Table.ToDictionary(r => r.Code, r => r.Meaning);

    public static DimseStatus Success => new(0x0000);
    public static DimseStatus Pending => new(0xFF00);
    public static DimseStatus Cancel => new(0xFE00);
    public static DimseStatus ProcessingFailure => new(0x0110);
    public static DimseStatus SopClassNotSupported => new(0x0122);
    public static DimseStatus UnrecognizedOperation => new(0x0211);
    public static DimseStatus OutOfResources => new(0xA700);
    public static DimseStatus CannotUnderstand => new(0xC000);
    public static DimseStatus NotAuthorized => new(0x0124);

    /// <summary>The category by the code ranges of PS3.7 §C.1 (service-specific Axxx/Cxxx failures, Bxxx warnings).</summary>
    public DimseStatusCategory Category => Code switch
    {
        0x0000 => DimseStatusCategory.Success,
        0xFE00 => DimseStatusCategory.Cancel,
        0xFF00 or 0xFF01 => DimseStatusCategory.Pending,
        0x0001 or 0x0107 or 0x0116 => DimseStatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => DimseStatusCategory.Warning,
        _ => DimseStatusCategory.Failure,
    };

    public bool IsSuccess => Category == DimseStatusCategory.Success;

    /// <summary>Success or warning: the operation was performed.</summary>
    public bool IsSuccessOrWarning => Category is DimseStatusCategory.Success or DimseStatusCategory.Warning;

    public bool IsPending => Category == DimseStatusCategory.Pending;

    /// <summary>The standard's meaning, or the category for a code only the service defines.</summary>
    public string Meaning => Names.TryGetValue(Code, out var name) ? name : $"{Category}: service-specific status";

    public override string ToString() => $"0x{Code:X4} ({Meaning})";
}
