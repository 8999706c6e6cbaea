namespace RadBridge.Server.DicomWeb;

/// <summary>What became of one instance (one part, or one data set of a DICOM JSON request) of a STOW-RS request.</summary>
/// <param name="Part">1-based position of the part (or of the data set in the JSON array), for messages.</param>
/// <param name="SopClassUid">SOP Class UID, when the instance could be read that far.</param>
/// <param name="SopInstanceUid">SOP Instance UID, likewise.</param>
/// <param name="StudyInstanceUid">Study Instance UID, likewise.</param>
/// <param name="SeriesInstanceUid">Series Instance UID, likewise.</param>
/// <param name="FailureReason">Null when stored; otherwise a <see cref="StowFailureReasons"/> value.</param>
/// <param name="Problem">For a failure, what went wrong, in words.</param>
public sealed record StowInstanceResult(
    int Part,
    string? SopClassUid,
    string? SopInstanceUid,
    string? StudyInstanceUid,
    string? SeriesInstanceUid,
    ushort? FailureReason,
    string? Problem)
{
    public bool Succeeded => FailureReason is null;

    /// <summary>A failure is reported in the Failed SOP Sequence when its SOP Class and Instance are known, else under Other Failures.</summary>
    public bool IdentifiesInstance => !string.IsNullOrEmpty(SopClassUid) && !string.IsNullOrEmpty(SopInstanceUid);

    public static StowInstanceResult Failure(int part, ushort reason, string problem, DicomDataset? header = null) =>
        new(part, header?.GetString(DicomTags.SOPClassUID), header?.GetString(DicomTags.SOPInstanceUID),
            header?.GetString(DicomTags.StudyInstanceUID), header?.GetString(DicomTags.SeriesInstanceUID), reason, problem);
}
