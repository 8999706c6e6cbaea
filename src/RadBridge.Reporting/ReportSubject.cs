namespace RadBridge.Reporting;

/// <summary>
/// The study a report is about, with the patient and study attributes that the PDF prints and that the DICOM report
/// objects copy so that they join the study (same patient, same Study Instance UID). Values are as in DICOM: names in
/// PN form (<c>Zhang^Wei=张^伟</c> or simply <c>张伟</c>), dates YYYYMMDD, times HHMMSS.
/// </summary>
public sealed record ReportSubject
{
    public string? PatientName { get; init; }

    public string? PatientId { get; init; }

    public string? PatientBirthDate { get; init; }

    public string? PatientSex { get; init; }

    public required string StudyInstanceUid { get; init; }

    public string? StudyId { get; init; }

    public string? AccessionNumber { get; init; }

    public string? StudyDate { get; init; }

    public string? StudyTime { get; init; }

    public string? StudyDescription { get; init; }

    public string? ReferringPhysicianName { get; init; }

    /// <summary>Modalities of the study, e.g. <c>CT</c> (backslash-separated when several).</summary>
    public string? Modality { get; init; }

    public string? BodyPart { get; init; }

    /// <summary>The clinic that asked for the reading (the study's owner).</summary>
    public string? ReferringClinic { get; init; }

    public string? ClinicalQuestion { get; init; }
}
