namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Failure Reason (0008,1197) values of the Store Instances Response Module. The standard's own values come from
/// PS3.18 Table I.2-2 (A7xx, A9xx, Cxxx, C122, 0110, 0122); the table allows additional codes, which RadBridge takes
/// from the C-STORE statuses of PS3.7 Annex C and PS3.4 B.2.3 where one means the same, and lists in CONFORMANCE.md.
/// </summary>
public static class StowFailureReasons
{
    /// <summary>0110H Processing failure: a general failure (e.g. the index could not be updated).</summary>
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>0111H Duplicate SOP Instance (PS3.7 C.5): the UID is stored with a different data set.</summary>
    public const ushort DuplicateSopInstance = 0x0111;

    /// <summary>0124H Refused: not authorized (PS3.7 C.5): the study belongs to another organisation.</summary>
    public const ushort NotAuthorized = 0x0124;

    /// <summary>A700H Refused: out of resources (disk full, I/O failure writing the instance).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>C000H Error: cannot understand (the part is not a readable DICOM instance, or a malformed multipart part).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>
    /// C409H Study Instance UID mismatch: the instance was sent to /studies/{study} but belongs to another study. A Cxxx
    /// ("cannot understand") code, as dcm4chee-arc uses for the same case.
    /// </summary>
    public const ushort StudyInstanceUidMismatch = 0xC409;
}
