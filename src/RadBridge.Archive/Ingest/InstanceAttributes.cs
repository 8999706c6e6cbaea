using System.Globalization;
using RadBridge.Archive.Query;

namespace RadBridge.Archive.Ingest;

/// <summary>The attributes of an instance the index keeps, read from its header.</summary>
public sealed record InstanceAttributes
{
    public required string SopClassUid { get; init; }
    public required string SopInstanceUid { get; init; }
    public required string StudyInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public required string TransferSyntaxUid { get; init; }
    public string? PatientId { get; init; }
    public string? PatientName { get; init; }
    public string? PatientBirthDate { get; init; }
    public string? PatientSex { get; init; }
    public string? StudyDate { get; init; }
    public string? StudyTime { get; init; }
    public string? AccessionNumber { get; init; }
    public string? StudyId { get; init; }
    public string? StudyDescription { get; init; }
    public string? ReferringPhysicianName { get; init; }
    public string? Modality { get; init; }
    public int? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? BodyPartExamined { get; init; }
    public string? SeriesDate { get; init; }
    public string? SeriesTime { get; init; }
    public string? PerformedProcedureStepStartDate { get; init; }
    public string? PerformedProcedureStepStartTime { get; init; }
    public int? InstanceNumber { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    public int? BitsAllocated { get; init; }
    public int? NumberOfFrames { get; init; }
    public string? SpecificCharacterSet { get; init; }

    public string? PatientNameFolded => PersonNameFolding.Fold(PatientName);
    public string? ReferringPhysicianNameFolded => PersonNameFolding.Fold(ReferringPhysicianName);

    /// <summary>
    /// Reads the attributes from a file's header. Returns the problem instead when an instance cannot be archived: a
    /// missing or malformed SOP Class, SOP Instance, Study or Series Instance UID.
    /// </summary>
    public static (InstanceAttributes? Attributes, string? Problem) From(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var ds = file.Dataset;
        var sopClass = ds.GetString(DicomTags.SOPClassUID) is { Length: > 0 } c ? c : file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID);
        var sopInstance = ds.GetString(DicomTags.SOPInstanceUID);
        var study = ds.GetString(DicomTags.StudyInstanceUID);
        var series = ds.GetString(DicomTags.SeriesInstanceUID);
        foreach (var (name, value) in new[] { ("SOP Class UID (0008,0016)", sopClass), ("SOP Instance UID (0008,0018)", sopInstance), ("Study Instance UID (0020,000D)", study), ("Series Instance UID (0020,000E)", series) })
        {
            if (string.IsNullOrEmpty(value)) return (null, $"{name} is missing");
            if (!Storage.InstanceFileStore.IsValidUid(value)) return (null, $"{name} '{Clip(value)}' is not a valid UID");
        }
        var attributes = new InstanceAttributes
        {
            SopClassUid = sopClass!,
            SopInstanceUid = sopInstance!,
            StudyInstanceUid = study!,
            SeriesInstanceUid = series!,
            TransferSyntaxUid = file.TransferSyntax.Uid,
            PatientId = ds.GetString(DicomTags.PatientID) ?? "",
            PatientName = Clean(ds.GetString(DicomTags.PatientName)),
            PatientBirthDate = Clean(ds.GetString(DicomTags.PatientBirthDate)),
            PatientSex = Clean(ds.GetString(DicomTags.PatientSex)),
            StudyDate = Clean(ds.GetString(DicomTags.StudyDate)),
            StudyTime = Clean(ds.GetString(DicomTags.StudyTime)),
            AccessionNumber = Clean(ds.GetString(DicomTags.AccessionNumber)),
            StudyId = Clean(ds.GetString(DicomTags.StudyID)),
            StudyDescription = Clean(ds.GetString(DicomTags.StudyDescription)),
            ReferringPhysicianName = Clean(ds.GetString(DicomTags.ReferringPhysicianName)),
            Modality = Clean(ds.GetString(DicomTags.Modality)),
            SeriesNumber = Integer(ds.GetString(DicomTags.SeriesNumber)),
            SeriesDescription = Clean(ds.GetString(DicomTags.SeriesDescription)),
            BodyPartExamined = Clean(ds.GetString(DicomTags.BodyPartExamined)),
            SeriesDate = Clean(ds.GetString(DicomTags.SeriesDate)),
            SeriesTime = Clean(ds.GetString(DicomTags.SeriesTime)),
            PerformedProcedureStepStartDate = Clean(ds.GetString(DicomTags.PerformedProcedureStepStartDate)),
            PerformedProcedureStepStartTime = Clean(ds.GetString(DicomTags.PerformedProcedureStepStartTime)),
            InstanceNumber = Integer(ds.GetString(DicomTags.InstanceNumber)),
            Rows = Integer(ds.GetString(DicomTags.Rows)),
            Columns = Integer(ds.GetString(DicomTags.Columns)),
            BitsAllocated = Integer(ds.GetString(DicomTags.BitsAllocated)),
            NumberOfFrames = Integer(ds.GetString(DicomTags.NumberOfFrames)),
            SpecificCharacterSet = Clean(ds.GetString(DicomTags.SpecificCharacterSet)),
        };
        return (attributes, null);
    }

    private static string? Clean(string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim(' ', '\0');
        return trimmed.Length == 0 ? null : trimmed.Length > 256 ? trimmed[..256] : trimmed;
    }

    private static int? Integer(string? value)
    {
        var first = value?.Split('\\')[0].Trim();
        return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static string Clip(string value) => value.Length <= 70 ? value : value[..67] + "...";
}
