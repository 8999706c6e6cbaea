using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>How the index matches an attribute's key.</summary>
public enum IndexMatching
{
    /// <summary>Single value and wildcard matching, case-sensitive (SH, LO, CS…).</summary>
    Text,

    /// <summary>PN: on the folded column for wildcards, fuzzy and case-insensitive matching, else the raw column.</summary>
    PersonName,

    /// <summary>DA single value or range.</summary>
    Date,

    /// <summary>TM single value or range.</summary>
    Time,

    /// <summary>Single UID or a list of UIDs.</summary>
    Uid,

    /// <summary>IS/US single value.</summary>
    Integer,

    /// <summary>Multi-valued summary of the series or instances below (Modalities/SOP Classes in Study): matched against those rows.</summary>
    ValuesBelow,

    /// <summary>Computed by the archive (counts, availability, URL): a return key only.</summary>
    ReturnOnly,
}

/// <summary>An attribute the index holds (or computes), at the level it belongs to.</summary>
public sealed record IndexedAttribute(DicomTag Tag, string Keyword, DicomVR VR, QueryLevel Level, IndexMatching Matching)
{
    /// <summary>
    /// Whether a query at <paramref name="level"/> returns this attribute from the index: attributes of that level and the
    /// levels above, except the patient's counts, which only a patient-level query computes.
    /// </summary>
    public bool AnswerableAt(QueryLevel level) =>
        Level <= level && (Level != QueryLevel.Patient || Matching != IndexMatching.ReturnOnly || level == QueryLevel.Patient);
}

/// <summary>
/// The attributes the archive's index answers from its columns, per level — everything else is "not indexed": QIDO
/// refuses matching on it (400), C-FIND treats it as a return key; as a return key it is read from a stored instance.
/// </summary>
public static class IndexedAttributes
{
    private static readonly Dictionary<DicomTag, IndexedAttribute> ByTag = Build();

    public static IReadOnlyCollection<IndexedAttribute> All => ByTag.Values;

    public static IndexedAttribute? Find(DicomTag tag) => ByTag.GetValueOrDefault(tag);

    /// <summary>The attributes held at <paramref name="level"/> itself (not the levels above).</summary>
    public static IEnumerable<IndexedAttribute> AtLevel(QueryLevel level) => ByTag.Values.Where(a => a.Level == level);

    /// <summary>
    /// The default attributes of a QIDO-RS result at a level (PS3.18 Tables 10.6.3-3, -4, -5; Specific Character Set,
    /// Timezone Offset and Request Attributes Sequence aside: the response writer adds the first, the index holds neither
    /// of the others). C-FIND's Patient level (which QIDO lacks) returns the patient's attributes and counts.
    /// </summary>
    public static IReadOnlyList<DicomTag> QidoDefaults(QueryLevel level) => level switch
    {
        QueryLevel.Patient => [DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
            DicomTags.NumberOfPatientRelatedStudies, DicomTags.NumberOfPatientRelatedSeries, DicomTags.NumberOfPatientRelatedInstances],
        QueryLevel.Study => [DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.InstanceAvailability,
            DicomTags.ModalitiesInStudy, DicomTags.ReferringPhysicianName, DicomTags.RetrieveURL, DicomTags.PatientName, DicomTags.PatientID,
            DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyInstanceUID, DicomTags.StudyID, DicomTags.StudyDescription,
            DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances],
        QueryLevel.Series => [DicomTags.Modality, DicomTags.SeriesDescription, DicomTags.RetrieveURL, DicomTags.SeriesInstanceUID,
            DicomTags.SeriesNumber, DicomTags.NumberOfSeriesRelatedInstances, DicomTags.PerformedProcedureStepStartDate,
            DicomTags.PerformedProcedureStepStartTime, DicomTags.StudyInstanceUID],
        _ => [DicomTags.SOPClassUID, DicomTags.SOPInstanceUID, DicomTags.InstanceAvailability, DicomTags.RetrieveURL,
            DicomTags.InstanceNumber, DicomTags.Rows, DicomTags.Columns, DicomTags.BitsAllocated, DicomTags.NumberOfFrames,
            DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID],
    };

    private static Dictionary<DicomTag, IndexedAttribute> Build()
    {
        var list = new List<IndexedAttribute>();
        void Add(DicomTag tag, QueryLevel level, IndexMatching matching)
        {
            var entry = DicomDictionary.Default.Find(tag)!;
            list.Add(new IndexedAttribute(tag, entry.Keyword, entry.VR, level, matching));
        }

        Add(DicomTags.PatientID, QueryLevel.Patient, IndexMatching.Text);
        Add(DicomTags.PatientName, QueryLevel.Patient, IndexMatching.PersonName);
        Add(DicomTags.PatientBirthDate, QueryLevel.Patient, IndexMatching.Date);
        Add(DicomTags.PatientSex, QueryLevel.Patient, IndexMatching.Text);
        Add(DicomTags.NumberOfPatientRelatedStudies, QueryLevel.Patient, IndexMatching.ReturnOnly);
        Add(DicomTags.NumberOfPatientRelatedSeries, QueryLevel.Patient, IndexMatching.ReturnOnly);
        Add(DicomTags.NumberOfPatientRelatedInstances, QueryLevel.Patient, IndexMatching.ReturnOnly);

        Add(DicomTags.StudyInstanceUID, QueryLevel.Study, IndexMatching.Uid);
        Add(DicomTags.StudyDate, QueryLevel.Study, IndexMatching.Date);
        Add(DicomTags.StudyTime, QueryLevel.Study, IndexMatching.Time);
        Add(DicomTags.AccessionNumber, QueryLevel.Study, IndexMatching.Text);
        Add(DicomTags.StudyID, QueryLevel.Study, IndexMatching.Text);
        Add(DicomTags.StudyDescription, QueryLevel.Study, IndexMatching.Text);
        Add(DicomTags.ReferringPhysicianName, QueryLevel.Study, IndexMatching.PersonName);
        Add(DicomTags.ModalitiesInStudy, QueryLevel.Study, IndexMatching.ValuesBelow);
        Add(DicomTags.SOPClassesInStudy, QueryLevel.Study, IndexMatching.ValuesBelow);
        Add(DicomTags.NumberOfStudyRelatedSeries, QueryLevel.Study, IndexMatching.ReturnOnly);
        Add(DicomTags.NumberOfStudyRelatedInstances, QueryLevel.Study, IndexMatching.ReturnOnly);

        Add(DicomTags.SeriesInstanceUID, QueryLevel.Series, IndexMatching.Uid);
        Add(DicomTags.Modality, QueryLevel.Series, IndexMatching.Text);
        Add(DicomTags.SeriesNumber, QueryLevel.Series, IndexMatching.Integer);
        Add(DicomTags.SeriesDescription, QueryLevel.Series, IndexMatching.Text);
        Add(DicomTags.BodyPartExamined, QueryLevel.Series, IndexMatching.Text);
        Add(DicomTags.SeriesDate, QueryLevel.Series, IndexMatching.Date);
        Add(DicomTags.SeriesTime, QueryLevel.Series, IndexMatching.Time);
        Add(DicomTags.PerformedProcedureStepStartDate, QueryLevel.Series, IndexMatching.Date);
        Add(DicomTags.PerformedProcedureStepStartTime, QueryLevel.Series, IndexMatching.Time);
        Add(DicomTags.NumberOfSeriesRelatedInstances, QueryLevel.Series, IndexMatching.ReturnOnly);

        Add(DicomTags.SOPInstanceUID, QueryLevel.Image, IndexMatching.Uid);
        Add(DicomTags.SOPClassUID, QueryLevel.Image, IndexMatching.Uid);
        Add(DicomTags.InstanceNumber, QueryLevel.Image, IndexMatching.Integer);
        Add(DicomTags.Rows, QueryLevel.Image, IndexMatching.Integer);
        Add(DicomTags.Columns, QueryLevel.Image, IndexMatching.Integer);
        Add(DicomTags.BitsAllocated, QueryLevel.Image, IndexMatching.Integer);
        Add(DicomTags.NumberOfFrames, QueryLevel.Image, IndexMatching.Integer);

        // Computed for every level: availability of what the archive holds, and where to retrieve it.
        Add(DicomTags.InstanceAvailability, QueryLevel.Study, IndexMatching.ReturnOnly);
        Add(DicomTags.RetrieveURL, QueryLevel.Study, IndexMatching.ReturnOnly);
        return list.ToDictionary(a => a.Tag);
    }
}
