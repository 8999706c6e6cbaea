using System.Globalization;
using RadBridge.Archive.Query;

namespace RadBridge.ArchiveScale;

// Row shapes the loaders write: exactly the columns of the index tables (ArchiveDbContext), ids assigned here so that
// the loaders need no round trip to learn generated keys.

internal sealed record PatientRow(long Id, int OrganizationId, string PatientId, string PatientName, string PatientNameFolded,
    string BirthDate, string Sex, int NumberOfStudies);

internal sealed record StudyRow(long Id, PatientRow Patient, int OrganizationId, string StudyInstanceUid, string StudyDate,
    string StudyTime, string AccessionNumber, string StudyId, string StudyDescription, string ReferringPhysicianName,
    string ReferringPhysicianNameFolded, string ModalitiesInStudy, string SopClassesInStudy, int NumberOfSeries, int NumberOfInstances);

internal sealed record SeriesRow(long Id, long StudyId, string SeriesInstanceUid, string Modality, int SeriesNumber,
    string SeriesDescription, string BodyPartExamined, string SeriesDate, string SeriesTime, int NumberOfInstances);

internal sealed record InstanceRow(long Id, long SeriesId, long StudyId, string SopInstanceUid, string SopClassUid, int InstanceNumber,
    string TransferSyntaxUid, int Rows, int Columns, int BitsAllocated, string StoragePath, long FileSize, string DataSetSha256);

internal sealed record ShareRow(long StudyId, int OrganizationId);

/// <summary>
/// A deterministic synthetic archive: studies × series × instances with the distributions a regional partnership's
/// index has — about half Chinese patients (names as "Pinyin^Given=汉字^名", the way ISO_IR 192 senders write them),
/// Latin names with and without accents, several studies per patient, study dates over ten years, the usual modality
/// mix with modality-typical series sizes kept uniform (the instance count is what the test scales), unique accession
/// numbers. Two organisations: a clinic that sends most studies and a centre that reads the ones shared with it.
/// </summary>
internal sealed class SyntheticIndex
{
    public const int CentreId = 1;
    public const int ClinicId = 2;
    private const string UidRoot = "1.2.826.0.1.3680043.10.1187.";

    private static readonly (string Pinyin, string Hanzi)[] ChineseSurnames =
    [
        ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"), ("Huang", "黄"), ("Zhao", "赵"),
        ("Wu", "吴"), ("Zhou", "周"), ("Xu", "徐"), ("Sun", "孙"), ("Ma", "马"), ("Zhu", "朱"), ("Hu", "胡"), ("Guo", "郭"),
        ("He", "何"), ("Gao", "高"), ("Lin", "林"), ("Luo", "罗"), ("Zheng", "郑"), ("Liang", "梁"), ("Xie", "谢"), ("Song", "宋"),
        ("Tang", "唐"), ("Han", "韩"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"), ("Zeng", "曾"), ("Xiao", "肖"),
        ("Tian", "田"), ("Dong", "董"), ("Pan", "潘"), ("Yuan", "袁"), ("Cai", "蔡"), ("Jiang", "蒋"), ("Yu", "余"), ("Du", "杜"),
    ];

    private static readonly (string Pinyin, string Hanzi)[] ChineseGiven =
    [
        ("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Min", "敏"), ("Jing", "静"), ("Li", "丽"), ("Qiang", "强"), ("Lei", "磊"),
        ("Jun", "军"), ("Yang", "洋"), ("Yong", "勇"), ("Yan", "艳"), ("Jie", "杰"), ("Tao", "涛"), ("Ming", "明"), ("Chao", "超"),
        ("Xiuying", "秀英"), ("Xia", "霞"), ("Ping", "平"), ("Gang", "刚"), ("Hui", "辉"), ("Ling", "玲"), ("Hua", "华"), ("Fei", "飞"),
    ];

    private static readonly string[] LatinSurnames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson", "Martinez", "Anderson",
        "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Müller", "Schäfer", "Größer", "Çelik", "Núñez", "Ibáñez", "Søndergaard", "Łukasz",
        "Dvořák", "Novák", "Lefèvre", "Béranger", "Öztürk", "Jović", "Petrović", "Kowalski", "Nguyen", "Tran", "Pham", "Le",
    ];

    private static readonly string[] LatinGiven =
    [
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "José", "María", "Zoë", "Renée", "Jürgen", "Søren", "André", "Hélène", "Agnieszka",
    ];

    private static readonly string[] Referrers = ["Chen^Hong", "Adams^Paul", "Ortiz^Lucía", "Wang^Li=王^立", "Baker^Sam", "Keller^Jörg"];

    // (modality, weight, SOP class, rows, columns, bits, typical file size, study description, body parts)
    private static readonly ModalityProfile[] Modalities =
    [
        new("CT", 30, "1.2.840.10008.5.1.4.1.1.2", 512, 512, 16, 525_000, ["CT Chest", "CT Abdomen/Pelvis", "CT Head"], ["CHEST", "ABDOMEN", "HEAD"]),
        new("MR", 20, "1.2.840.10008.5.1.4.1.1.4", 256, 256, 16, 135_000, ["MR Brain", "MR Knee", "MR Spine"], ["BRAIN", "KNEE", "LSPINE"]),
        new("CR", 18, "1.2.840.10008.5.1.4.1.1.1", 2048, 2500, 16, 10_240_000, ["CR Chest", "CR Hand"], ["CHEST", "HAND"]),
        new("DX", 14, "1.2.840.10008.5.1.4.1.1.1.1", 2500, 3000, 16, 15_000_000, ["DX Chest PA", "DX Pelvis"], ["CHEST", "PELVIS"]),
        new("US", 12, "1.2.840.10008.5.1.4.1.1.6.1", 600, 800, 8, 1_440_000, ["US Abdomen", "US Thyroid"], ["ABDOMEN", "NECK"]),
        new("MG", 6, "1.2.840.10008.5.1.4.1.1.1.2", 3328, 2560, 16, 17_000_000, ["MG Screening"], ["BREAST"]),
    ];

    private sealed record ModalityProfile(string Modality, int Weight, string SopClass, int Rows, int Columns, int Bits, long FileSize, string[] Descriptions, string[] BodyParts);

    private readonly Random _random;
    private readonly int _studies;
    private readonly int _seriesPerStudy;
    private readonly int _instancesPerSeries;
    private readonly int _totalWeight = Modalities.Sum(m => m.Weight);

    public SyntheticIndex(int studies, int seriesPerStudy, int instancesPerSeries, int seed)
    {
        _random = new Random(seed);
        _studies = studies;
        _seriesPerStudy = seriesPerStudy;
        _instancesPerSeries = instancesPerSeries;
        Build();
    }

    public List<PatientRow> Patients { get; } = [];
    public List<StudyRow> Studies { get; } = [];
    public List<ShareRow> Shares { get; } = [];
    public long InstanceCount => (long)_studies * _seriesPerStudy * _instancesPerSeries;
    public long SeriesCount => (long)_studies * _seriesPerStudy;

    private void Build()
    {
        long patientId = 0;
        var patientsByOrg = new Dictionary<int, List<PatientRow>> { [CentreId] = [], [ClinicId] = [] };
        for (var s = 1; s <= _studies; s++)
        {
            // 80 % of studies come from the clinic; 15 % of those are shared with the centre for reading.
            var org = _random.NextDouble() < 0.8 ? ClinicId : CentreId;
            var known = patientsByOrg[org];
            // Returning patients: ~60 % of studies belong to a patient the organisation already has.
            PatientRow patient;
            if (known.Count > 0 && _random.NextDouble() < 0.6)
            {
                var i = _random.Next(known.Count);
                patient = known[i] with { NumberOfStudies = known[i].NumberOfStudies + 1 };
                known[i] = patient;
                Patients[(int)patient.Id - 1] = patient;
            }
            else
            {
                patientId++;
                var name = PersonName();
                patient = new PatientRow(patientId, org, string.Create(CultureInfo.InvariantCulture, $"P{patientId:D7}"), name,
                    PersonNameFolding.Fold(name)!, Date(1930, 2020), _random.NextDouble() < 0.5 ? "F" : "M", 1);
                known.Add(patient);
                Patients.Add(patient);
            }
            var profile = Pick();
            var referrer = Referrers[_random.Next(Referrers.Length)];
            var perStudy = _seriesPerStudy * _instancesPerSeries;
            Studies.Add(new StudyRow(s, patient, org, Uid("1", s), Date(2015, 2025), Time(),
                string.Create(CultureInfo.InvariantCulture, $"A{s:D8}"), string.Create(CultureInfo.InvariantCulture, $"{s % 100000}"),
                profile.Descriptions[_random.Next(profile.Descriptions.Length)], referrer, PersonNameFolding.Fold(referrer)!,
                profile.Modality, profile.SopClass, _seriesPerStudy, perStudy));
            if (org == ClinicId && _random.NextDouble() < 0.15) Shares.Add(new ShareRow(s, CentreId));
        }
        // Studies were built while patients still gained studies: point each at its patient's final row.
        for (var i = 0; i < Studies.Count; i++) Studies[i] = Studies[i] with { Patient = Patients[(int)Studies[i].Patient.Id - 1] };
    }

    /// <summary>The series of every study, in study order (streamed: 1M instance rows are never all in memory).</summary>
    public IEnumerable<SeriesRow> AllSeries()
    {
        foreach (var study in Studies)
        {
            var profile = Modalities.First(m => m.Modality == study.ModalitiesInStudy);
            for (var n = 1; n <= _seriesPerStudy; n++)
            {
                var id = (study.Id - 1) * _seriesPerStudy + n;
                yield return new SeriesRow(id, study.Id, Uid("2", id), profile.Modality, n, $"{study.StudyDescription} {n}",
                    profile.BodyParts[(int)(study.Id % profile.BodyParts.Length)], study.StudyDate, study.StudyTime, _instancesPerSeries);
            }
        }
    }

    public IEnumerable<InstanceRow> AllInstances()
    {
        foreach (var series in AllSeries())
        {
            var study = Studies[(int)series.StudyId - 1];
            var profile = Modalities.First(m => m.Modality == series.Modality);
            for (var n = 1; n <= _instancesPerSeries; n++)
            {
                var id = (series.Id - 1) * _instancesPerSeries + n;
                var sop = Uid("3", id);
                yield return new InstanceRow(id, series.Id, series.StudyId, sop, profile.SopClass, n, "1.2.840.10008.1.2.1",
                    profile.Rows, profile.Columns, profile.Bits, $"{study.StudyInstanceUid}/{series.SeriesInstanceUid}/{sop}.dcm",
                    profile.FileSize, Convert.ToHexStringLower(BitConverter.GetBytes(id * 2654435761L)).PadLeft(64, '0'));
            }
        }
    }

    public SeriesRow SeriesOf(long studyId, int number) => AllSeriesOf(Studies[(int)studyId - 1]).ElementAt(number - 1);

    private IEnumerable<SeriesRow> AllSeriesOf(StudyRow study)
    {
        for (var n = 1; n <= _seriesPerStudy; n++)
        {
            var id = (study.Id - 1) * _seriesPerStudy + n;
            yield return new SeriesRow(id, study.Id, Uid("2", id), study.ModalitiesInStudy, n, "", "", "", "", _instancesPerSeries);
        }
    }

    private string PersonName()
    {
        var roll = _random.NextDouble();
        if (roll < 0.5)
        {
            var (sp, sh) = ChineseSurnames[_random.Next(ChineseSurnames.Length)];
            var (gp, gh) = ChineseGiven[_random.Next(ChineseGiven.Length)];
            return $"{sp}^{gp}={sh}^{gh}";
        }
        return $"{LatinSurnames[_random.Next(LatinSurnames.Length)]}^{LatinGiven[_random.Next(LatinGiven.Length)]}";
    }

    private ModalityProfile Pick()
    {
        var x = _random.Next(_totalWeight);
        foreach (var m in Modalities)
        {
            if (x < m.Weight) return m;
            x -= m.Weight;
        }
        return Modalities[^1];
    }

    private string Date(int fromYear, int toYear)
    {
        var start = new DateOnly(fromYear, 1, 1);
        var days = new DateOnly(toYear, 12, 31).DayNumber - start.DayNumber;
        return start.AddDays(_random.Next(days + 1)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    private string Time() => string.Create(CultureInfo.InvariantCulture, $"{_random.Next(7, 20):D2}{_random.Next(60):D2}{_random.Next(60):D2}");

    private static string Uid(string kind, long n) => string.Create(CultureInfo.InvariantCulture, $"{UidRoot}{kind}.{n}");

    public static IReadOnlyList<string> ChineseSurnameCharacters => [.. ChineseSurnames.Select(s => s.Hanzi)];
    public static IReadOnlyList<string> LatinSurnamePrefixes => [.. LatinSurnames.Concat(ChineseSurnames.Select(s => s.Pinyin))];
    public static IReadOnlyList<string> ModalityCodes => [.. Modalities.Select(m => m.Modality)];
}
