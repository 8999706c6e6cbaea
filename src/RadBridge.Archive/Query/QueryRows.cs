using System.Linq.Expressions;
using RadBridge.Archive.Index;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>
/// The rows a query filters: a study with its series and instance below it (as far down as the level goes), or a
/// patient. Member-initialised in the query, so EF translates predicates on any member into columns of the joined tables.
/// </summary>
internal sealed class QueryRow
{
    public PatientRecord Patient { get; init; } = null!;
    public StudyRecord Study { get; init; } = null!;
    public SeriesRecord Series { get; init; } = null!;
    public InstanceRecord Instance { get; init; } = null!;
}

/// <summary>What a query reads of each match: the indexed columns of the level and the levels above, computed counts.</summary>
internal sealed class IndexRow
{
    public long PatientKey { get; init; }
    public string? PatientId { get; init; }
    public string? PatientName { get; init; }
    public string? PatientBirthDate { get; init; }
    public string? PatientSex { get; init; }
    public int PatientStudies { get; init; }
    public int PatientSeries { get; init; }
    public int PatientInstances { get; init; }

    public long StudyKey { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? StudyDate { get; init; }
    public string? StudyTime { get; init; }
    public string? AccessionNumber { get; init; }
    public string? StudyId { get; init; }
    public string? StudyDescription { get; init; }
    public string? ReferringPhysicianName { get; init; }
    public string? ModalitiesInStudy { get; init; }
    public string? SopClassesInStudy { get; init; }
    public int StudySeries { get; init; }
    public int StudyInstances { get; init; }

    public long SeriesKey { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? Modality { get; init; }
    public int? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? BodyPartExamined { get; init; }
    public string? SeriesDate { get; init; }
    public string? SeriesTime { get; init; }
    public string? PpsStartDate { get; init; }
    public string? PpsStartTime { get; init; }
    public int SeriesInstances { get; init; }

    public long InstanceKey { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? SopClassUid { get; init; }
    public int? InstanceNumber { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    public int? BitsAllocated { get; init; }
    public int? NumberOfFrames { get; init; }
    public string? StoragePath { get; init; }

    /// <summary>The key of the entity at <paramref name="level"/> (a patient, study, series or instance row id).</summary>
    public long KeyAt(QueryLevel level) => level switch
    {
        QueryLevel.Patient => PatientKey,
        QueryLevel.Study => StudyKey,
        QueryLevel.Series => SeriesKey,
        _ => InstanceKey,
    };

    /// <summary>The indexed value of an attribute, as DICOM text; null when the row has none.</summary>
    public string? ValueOf(DicomTag tag)
    {
        if (tag == DicomTags.PatientID) return PatientId;
        if (tag == DicomTags.PatientName) return PatientName;
        if (tag == DicomTags.PatientBirthDate) return PatientBirthDate;
        if (tag == DicomTags.PatientSex) return PatientSex;
        if (tag == DicomTags.NumberOfPatientRelatedStudies) return Is(PatientStudies);
        if (tag == DicomTags.NumberOfPatientRelatedSeries) return Is(PatientSeries);
        if (tag == DicomTags.NumberOfPatientRelatedInstances) return Is(PatientInstances);
        if (tag == DicomTags.StudyInstanceUID) return StudyInstanceUid;
        if (tag == DicomTags.StudyDate) return StudyDate;
        if (tag == DicomTags.StudyTime) return StudyTime;
        if (tag == DicomTags.AccessionNumber) return AccessionNumber;
        if (tag == DicomTags.StudyID) return StudyId;
        if (tag == DicomTags.StudyDescription) return StudyDescription;
        if (tag == DicomTags.ReferringPhysicianName) return ReferringPhysicianName;
        if (tag == DicomTags.ModalitiesInStudy) return ModalitiesInStudy;
        if (tag == DicomTags.SOPClassesInStudy) return SopClassesInStudy;
        if (tag == DicomTags.NumberOfStudyRelatedSeries) return Is(StudySeries);
        if (tag == DicomTags.NumberOfStudyRelatedInstances) return Is(StudyInstances);
        if (tag == DicomTags.SeriesInstanceUID) return SeriesInstanceUid;
        if (tag == DicomTags.Modality) return Modality;
        if (tag == DicomTags.SeriesNumber) return Is(SeriesNumber);
        if (tag == DicomTags.SeriesDescription) return SeriesDescription;
        if (tag == DicomTags.BodyPartExamined) return BodyPartExamined;
        if (tag == DicomTags.SeriesDate) return SeriesDate;
        if (tag == DicomTags.SeriesTime) return SeriesTime;
        if (tag == DicomTags.PerformedProcedureStepStartDate) return PpsStartDate;
        if (tag == DicomTags.PerformedProcedureStepStartTime) return PpsStartTime;
        if (tag == DicomTags.NumberOfSeriesRelatedInstances) return Is(SeriesInstances);
        if (tag == DicomTags.SOPInstanceUID) return SopInstanceUid;
        if (tag == DicomTags.SOPClassUID) return SopClassUid;
        if (tag == DicomTags.InstanceNumber) return Is(InstanceNumber);
        if (tag == DicomTags.Rows) return Is(Rows);
        if (tag == DicomTags.Columns) return Is(Columns);
        if (tag == DicomTags.BitsAllocated) return Is(BitsAllocated);
        if (tag == DicomTags.NumberOfFrames) return Is(NumberOfFrames);
        return null;
    }

    private static string? Is(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // One projection per level: only the columns that level answers, so a study query reads one table's row.
    public static readonly Expression<Func<QueryRow, IndexRow>> StudyProjection = r => new IndexRow
    {
        PatientKey = r.Study.PatientRecordId,
        PatientId = r.Study.PatientId,
        PatientName = r.Study.PatientName,
        PatientBirthDate = r.Study.PatientBirthDate,
        PatientSex = r.Study.PatientSex,
        StudyKey = r.Study.Id,
        StudyInstanceUid = r.Study.StudyInstanceUid,
        StudyDate = r.Study.StudyDate,
        StudyTime = r.Study.StudyTime,
        AccessionNumber = r.Study.AccessionNumber,
        StudyId = r.Study.StudyId,
        StudyDescription = r.Study.StudyDescription,
        ReferringPhysicianName = r.Study.ReferringPhysicianName,
        ModalitiesInStudy = r.Study.ModalitiesInStudy,
        SopClassesInStudy = r.Study.SopClassesInStudy,
        StudySeries = r.Study.NumberOfSeries,
        StudyInstances = r.Study.NumberOfInstances,
    };

    public static readonly Expression<Func<QueryRow, IndexRow>> SeriesProjection = r => new IndexRow
    {
        PatientKey = r.Study.PatientRecordId,
        PatientId = r.Study.PatientId,
        PatientName = r.Study.PatientName,
        PatientBirthDate = r.Study.PatientBirthDate,
        PatientSex = r.Study.PatientSex,
        StudyKey = r.Study.Id,
        StudyInstanceUid = r.Study.StudyInstanceUid,
        StudyDate = r.Study.StudyDate,
        StudyTime = r.Study.StudyTime,
        AccessionNumber = r.Study.AccessionNumber,
        StudyId = r.Study.StudyId,
        StudyDescription = r.Study.StudyDescription,
        ReferringPhysicianName = r.Study.ReferringPhysicianName,
        ModalitiesInStudy = r.Study.ModalitiesInStudy,
        SopClassesInStudy = r.Study.SopClassesInStudy,
        StudySeries = r.Study.NumberOfSeries,
        StudyInstances = r.Study.NumberOfInstances,
        SeriesKey = r.Series.Id,
        SeriesInstanceUid = r.Series.SeriesInstanceUid,
        Modality = r.Series.Modality,
        SeriesNumber = r.Series.SeriesNumber,
        SeriesDescription = r.Series.SeriesDescription,
        BodyPartExamined = r.Series.BodyPartExamined,
        SeriesDate = r.Series.SeriesDate,
        SeriesTime = r.Series.SeriesTime,
        PpsStartDate = r.Series.PerformedProcedureStepStartDate,
        PpsStartTime = r.Series.PerformedProcedureStepStartTime,
        SeriesInstances = r.Series.NumberOfInstances,
    };

    public static readonly Expression<Func<QueryRow, IndexRow>> InstanceProjection = r => new IndexRow
    {
        PatientKey = r.Study.PatientRecordId,
        PatientId = r.Study.PatientId,
        PatientName = r.Study.PatientName,
        PatientBirthDate = r.Study.PatientBirthDate,
        PatientSex = r.Study.PatientSex,
        StudyKey = r.Study.Id,
        StudyInstanceUid = r.Study.StudyInstanceUid,
        StudyDate = r.Study.StudyDate,
        StudyTime = r.Study.StudyTime,
        AccessionNumber = r.Study.AccessionNumber,
        StudyId = r.Study.StudyId,
        StudyDescription = r.Study.StudyDescription,
        ReferringPhysicianName = r.Study.ReferringPhysicianName,
        ModalitiesInStudy = r.Study.ModalitiesInStudy,
        SopClassesInStudy = r.Study.SopClassesInStudy,
        StudySeries = r.Study.NumberOfSeries,
        StudyInstances = r.Study.NumberOfInstances,
        SeriesKey = r.Series.Id,
        SeriesInstanceUid = r.Series.SeriesInstanceUid,
        Modality = r.Series.Modality,
        SeriesNumber = r.Series.SeriesNumber,
        SeriesDescription = r.Series.SeriesDescription,
        BodyPartExamined = r.Series.BodyPartExamined,
        SeriesDate = r.Series.SeriesDate,
        SeriesTime = r.Series.SeriesTime,
        PpsStartDate = r.Series.PerformedProcedureStepStartDate,
        PpsStartTime = r.Series.PerformedProcedureStepStartTime,
        SeriesInstances = r.Series.NumberOfInstances,
        InstanceKey = r.Instance.Id,
        SopInstanceUid = r.Instance.SopInstanceUid,
        SopClassUid = r.Instance.SopClassUid,
        InstanceNumber = r.Instance.InstanceNumber,
        Rows = r.Instance.Rows,
        Columns = r.Instance.Columns,
        BitsAllocated = r.Instance.BitsAllocated,
        NumberOfFrames = r.Instance.NumberOfFrames,
        StoragePath = r.Instance.StoragePath,
    };
}
