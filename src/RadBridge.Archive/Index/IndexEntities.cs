namespace RadBridge.Archive.Index;

// The index rows. Attribute values are kept as DICOM strings (dates as YYYYMMDD, times as HHMMSS.FFFFFF) so that range
// matching is a string comparison the database can answer from an index. Patient attributes are copied into the study
// row: every study-level query (the worklist's) is then answered from one table.

/// <summary>A patient as known to one organisation (Patient IDs are issued per institution).</summary>
public sealed class PatientRecord
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public required string PatientId { get; set; }
    public string? PatientName { get; set; }

    /// <summary><see cref="PatientName"/> folded by <see cref="Query.PersonNameFolding"/>, for case/accent-insensitive and substring matching.</summary>
    public string? PatientNameFolded { get; set; }
    public string? BirthDate { get; set; }
    public string? Sex { get; set; }
    public int NumberOfStudies { get; set; }
}

public sealed class StudyRecord
{
    public long Id { get; set; }
    public long PatientRecordId { get; set; }
    public PatientRecord? Patient { get; set; }

    /// <summary>The organisation that sent the study and owns it.</summary>
    public int OrganizationId { get; set; }
    public required string StudyInstanceUid { get; set; }
    public string? StudyDate { get; set; }
    public string? StudyTime { get; set; }
    public string? AccessionNumber { get; set; }
    public string? StudyId { get; set; }
    public string? StudyDescription { get; set; }
    public string? ReferringPhysicianName { get; set; }
    public string? ReferringPhysicianNameFolded { get; set; }

    /// <summary>Backslash-separated distinct modalities of the series, kept sorted.</summary>
    public string? ModalitiesInStudy { get; set; }

    /// <summary>Distinct SOP classes, backslash-separated.</summary>
    public string? SopClassesInStudy { get; set; }
    public int NumberOfSeries { get; set; }
    public int NumberOfInstances { get; set; }

    // Copies of the patient's attributes (see the note at the top).
    public string? PatientId { get; set; }
    public string? PatientName { get; set; }
    public string? PatientNameFolded { get; set; }
    public string? PatientBirthDate { get; set; }
    public string? PatientSex { get; set; }
    public string? SpecificCharacterSet { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class SeriesRecord
{
    public long Id { get; set; }
    public long StudyId { get; set; }
    public StudyRecord? Study { get; set; }
    public required string SeriesInstanceUid { get; set; }
    public string? Modality { get; set; }
    public int? SeriesNumber { get; set; }
    public string? SeriesDescription { get; set; }
    public string? BodyPartExamined { get; set; }
    public string? SeriesDate { get; set; }
    public string? SeriesTime { get; set; }
    public string? PerformedProcedureStepStartDate { get; set; }
    public string? PerformedProcedureStepStartTime { get; set; }
    public int NumberOfInstances { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class InstanceRecord
{
    public long Id { get; set; }
    public long SeriesId { get; set; }
    public SeriesRecord? Series { get; set; }
    public long StudyId { get; set; }
    public StudyRecord? Study { get; set; }
    public required string SopInstanceUid { get; set; }
    public required string SopClassUid { get; set; }
    public int? InstanceNumber { get; set; }
    public required string TransferSyntaxUid { get; set; }
    public int? Rows { get; set; }
    public int? Columns { get; set; }
    public int? BitsAllocated { get; set; }
    public int? NumberOfFrames { get; set; }

    /// <summary>The file, relative to the storage root.</summary>
    public required string StoragePath { get; set; }
    public long FileSize { get; set; }

    /// <summary>SHA-256 (hex) of the file's data set bytes, to tell an identical re-send from a conflicting one.</summary>
    public required string DataSetSha256 { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>The DICOM JSON metadata of a series' instances, cached for WADO-RS <c>/metadata</c>; dropped when the series changes.</summary>
public sealed class SeriesMetadataCache
{
    public long SeriesId { get; set; }
    public required byte[] Json { get; set; }
    public int InstanceCount { get; set; }
    public DateTimeOffset BuiltAt { get; set; }
}
