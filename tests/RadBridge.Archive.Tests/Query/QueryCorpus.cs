using System.Globalization;

namespace RadBridge.Archive.Tests.Query;

/// <summary>
/// Synthetic instances for the query tests: patients with Chinese names (张三, 王小明, 张伟, 张敏), an accented Latin one,
/// several dates and times, modalities CT/MR/US/CR, accession numbers with LIKE's special characters, in two
/// organisations. Clinic B's study "S7" is shared with clinic A; "S6" is not.
/// </summary>
internal static class QueryCorpus
{
    private const string Root = "1.2.826.0.1.3680043.10.1417.7";

    public sealed record Study(string Key, string Org, string PatientId, string PatientName, string BirthDate, string Sex, string Date, string Time,
        string Accession, string Description, string Referring, string Institution, (string Modality, int Instances)[] Series, string? CharacterSet = null)
    {
        public string Uid => StudyUid(Key);
    }

    public static readonly Study[] Studies =
    [
        new("S1", "A", "A001", "Zhang^San=张^三", "19700101", "M", "20240115", "103000", "ACC1", "CT chest", "Wang^Doctor", "Centre Hospital", [("CT", 3), ("MR", 2)], "ISO_IR 192"),
        new("S2", "A", "A002", "Wang^Xiaoming=王^小明", "19851224", "M", "20240220", "140000", "ACC_2", "MR head", "Li^Doctor", "Centre Hospital", [("MR", 2)]),
        new("S3", "A", "A003", "Zhang^Wei=张^伟", "19601010", "M", "20231231", "080000", "ACC%3", "CT abdomen", "Wang^Doctor", "Clinic A", [("CT", 1)], "ISO_IR 192"),
        new("S4", "A", "A003", "Zhang^Wei=张^伟", "19601010", "M", "20240301", "091500.25", "ACC4", "US liver", "", "Clinic A", [("US", 1)], "ISO_IR 192"),
        new("S5", "A", "A004", "Müller^José", "19901111", "F", "20240115", "235959", "ACC5", "CR hand", "Durand^Hélène", "Clinic A", [("CR", 1)], "ISO_IR 100"),
        new("S6", "B", "B001", "Zhang^Min=张^敏", "19751212", "F", "20240115", "120000", "BCC1", "CT chest", "Chen^Doctor", "Clinic B", [("CT", 2)], "ISO_IR 192"),
        new("S7", "B", "B002", "Smith^John", "19500505", "M", "20240505", "101010", "BCC2", "MR knee", "Jones^Doctor", "Clinic B", [("MR", 1)]),
    ];

    public static Study Get(string key) => Studies.Single(s => s.Key == key);

    public static string StudyUid(string key) => $"{Root}.{key[1..]}";

    public static string SeriesUid(string studyKey, int series) => $"{StudyUid(studyKey)}.{series + 1}";

    public static string InstanceUid(string studyKey, int series, int instance) => $"{SeriesUid(studyKey, series)}.{instance + 1}";

    private static string SopClassOf(string modality) => modality switch
    {
        "CT" => "1.2.840.10008.5.1.4.1.1.2",
        "MR" => "1.2.840.10008.5.1.4.1.1.4",
        "US" => "1.2.840.10008.5.1.4.1.1.6.1",
        _ => "1.2.840.10008.5.1.4.1.1.1",
    };

    /// <summary>Writes every instance under <paramref name="directory"/>/&lt;org&gt;/; returns (study, file) pairs.</summary>
    public static List<(Study Study, string Path)> Write(string directory)
    {
        var written = new List<(Study, string)>();
        foreach (var study in Studies)
        {
            for (var s = 0; s < study.Series.Length; s++)
            {
                var (modality, count) = study.Series[s];
                for (var i = 0; i < count; i++)
                {
                    var ds = new DicomDataset();
                    if (study.CharacterSet is { } cs) ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, cs);
                    ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SopClassOf(modality));
                    ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, InstanceUid(study.Key, s, i));
                    ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, study.Date);
                    ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, study.Time);
                    ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, study.Date);
                    ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, study.Accession);
                    ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
                    ds.AddOrUpdate(DicomTags.InstitutionName, DicomVR.LO, study.Institution);
                    if (study.Referring.Length > 0) ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, study.Referring);
                    ds.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, study.Description);
                    ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, $"{modality} series {s + 1}");
                    ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, study.PatientName);
                    ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, study.PatientId);
                    ds.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, study.BirthDate);
                    ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, study.Sex);
                    ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study.Uid);
                    ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, SeriesUid(study.Key, s));
                    ds.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, study.Key);
                    ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, (s + 1).ToString(CultureInfo.InvariantCulture));
                    ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, (i + 1).ToString(CultureInfo.InvariantCulture));
                    ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, "64");
                    ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, "32");
                    ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, "16");
                    var dir = Path.Combine(directory, study.Org);
                    Directory.CreateDirectory(dir);
                    var path = Path.Combine(dir, InstanceUid(study.Key, s, i) + ".dcm");
                    new DicomFile(ds).Save(path);
                    written.Add((study, path));
                }
            }
        }
        return written;
    }
}
