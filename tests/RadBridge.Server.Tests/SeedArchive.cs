using RadBridge.Archive;

namespace RadBridge.Server.Tests;

/// <summary>Synthetic studies (new UIDs, chosen patient, date, modality) from a sample, and seeding them through <see cref="ArchiveSeeder"/>.</summary>
internal static class SeedArchive
{
    public static async Task IngestAsync(ArchiveLocation location, int organizationId, IEnumerable<string> files)
    {
        await using var seeder = await ArchiveSeeder.OpenAsync(location);
        foreach (var file in files)
        {
            var result = await seeder.StoreAsync(file, organizationId);
            if (!result.Succeeded) throw new InvalidOperationException($"seeding {file}: {result.Outcome} {result.Problem}");
        }
    }

    /// <summary>Writes a copy of <paramref name="template"/> with new UIDs and the given patient, study date and modality.</summary>
    public static string Variant(string template, string directory, string patientName, string patientId, string studyDate, string modality, int instances = 1)
    {
        Directory.CreateDirectory(directory);
        var file = DicomFile.Open(template);
        var ds = file.Dataset;
        ds.ChangeSpecificCharacterSet(["ISO_IR 192"]);
        var study = NewUid();
        var series = NewUid();
        ds.AddOrUpdate(DicomTags.PatientName, patientName);
        ds.AddOrUpdate(DicomTags.PatientID, patientId);
        ds.AddOrUpdate(DicomTags.StudyDate, studyDate);
        ds.AddOrUpdate(DicomTags.Modality, modality);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, series);
        string? first = null;
        for (var i = 0; i < instances; i++)
        {
            var sop = NewUid();
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, sop);
            file.FileMetaInformation.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, sop);
            var path = Path.Combine(directory, sop + ".dcm");
            file.Save(path);
            first ??= path;
        }
        return study;
    }

    public static string NewUid() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
