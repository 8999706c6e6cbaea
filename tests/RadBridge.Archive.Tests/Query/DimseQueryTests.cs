using System.Globalization;
using RadBridge.Archive.Query;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Archive.Tests.Query;

/// <summary>
/// The archive's C-FIND/C-MOVE/C-GET source against an oracle: <see cref="FolderInstanceIndex"/> (which matches in memory
/// with <see cref="QueryMatcher"/>) over exactly the files clinic A may see must give the same responses as the database
/// gives clinic A. And DCMTK's findscu against a real SCP serving the archive per calling AE.
/// </summary>
public abstract class DimseQueryTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : QueryArchiveFixture
{
    private static readonly MatchingOptions CaseInsensitive = new() { CaseInsensitivePersonNames = true };

    public static TheoryData<string, string> Identifiers => new()
    {
        { "STUDY", "StudyInstanceUID|PatientName=*张*|PatientID|StudyDate|ModalitiesInStudy|NumberOfStudyRelatedSeries|NumberOfStudyRelatedInstances|InstitutionName" },
        { "STUDY", "StudyInstanceUID|StudyDate=20240101-20240131|AccessionNumber|StudyTime|PatientBirthDate" },
        { "STUDY", "StudyInstanceUID|PatientName=zhang*|StudyDescription|ReferringPhysicianName" },
        { "STUDY", "StudyInstanceUID|PatientName=Wang^Xiaoming=王^小明|PatientSex" },
        { "STUDY", "StudyInstanceUID|AccessionNumber=ACC?|StudyID" },
        { "STUDY", "StudyInstanceUID|StudyTime=1000-1100|StudyDate" },
        { "STUDY", "StudyInstanceUID|StudyDate=-20240115|StudyTime=-1200" },
        { "STUDY", "StudyInstanceUID|PatientID=A003|SOPClassesInStudy|ModalitiesInStudy" },
        { "STUDY", "StudyInstanceUID|ModalitiesInStudy=MR|NumberOfStudyRelatedInstances" },
        { "STUDY", "StudyInstanceUID|StudyInstanceUID_LIST|PatientName" },
        { "STUDY", "StudyInstanceUID|ReferringPhysicianName=*DOCTOR|PatientName=*" },
        { "SERIES", "StudyInstanceUID|SeriesInstanceUID|Modality=CT|SeriesNumber|NumberOfSeriesRelatedInstances|SeriesDescription" },
        { "SERIES", "StudyInstanceUID=S1|SeriesInstanceUID|Modality|SeriesNumber=2|SeriesDate" },
        { "SERIES", "SeriesInstanceUID|PatientName=*张*|Modality=MR|PatientID" },
        { "IMAGE", "SeriesInstanceUID=S1.1|SOPInstanceUID|InstanceNumber|SOPClassUID|Rows|Columns|BitsAllocated" },
        { "IMAGE", "SOPInstanceUID|SOPClassUID=1.2.840.10008.5.1.4.1.1.4|InstanceNumber=2|StudyInstanceUID" },
        { "IMAGE", "SOPInstanceUID|PatientID=A003|InstitutionName|StudyDate" },
        { "PATIENT", "PatientID|PatientName|PatientBirthDate|NumberOfPatientRelatedStudies|NumberOfPatientRelatedSeries|NumberOfPatientRelatedInstances" },
        { "PATIENT", "PatientID|PatientName=*张*|PatientSex" },
        { "PATIENT", "PatientID=A00?|PatientName|NumberOfPatientRelatedInstances" },
    };

    [Theory]
    [MemberData(nameof(Identifiers))]
    public async Task Find_gives_what_the_in_memory_matcher_gives_on_the_same_files(string level, string keys)
    {
        var oracle = new FolderInstanceIndex(fixture.VisibleToA);
        Assert.Equal(10 + 1, oracle.Scan()); // clinic A's 10 instances and the one of B's shared study
        var source = new ArchiveQueryRetrieveSource(fixture.Contexts, fixture.Service, fixture.ClinicA);
        var queryLevel = QueryLevels.Parse(level)!.Value;
        var identifier = Identifier(level, keys);

        var expected = new List<string>();
        await foreach (var r in oracle.FindAsync(queryLevel, identifier, CaseInsensitive, CancellationToken.None)) expected.Add(Canonical(r));
        var actual = new List<string>();
        await foreach (var r in source.FindAsync(queryLevel, identifier, CaseInsensitive, CancellationToken.None))
        {
            Assert.Equal("ISO_IR 192", r.GetString(DicomTags.SpecificCharacterSet));
            actual.Add(Canonical(r));
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("STUDY", "StudyInstanceUID=S1")]
    [InlineData("STUDY", "PatientName=*张*")]
    [InlineData("STUDY", "ModalitiesInStudy=MR")]
    [InlineData("SERIES", "SeriesInstanceUID=S1.2")]
    [InlineData("IMAGE", "SOPInstanceUID=S1.1.1")]
    [InlineData("PATIENT", "PatientID=A003")]
    [InlineData("PATIENT", "PatientID=B002")]
    public async Task Retrieve_resolves_the_same_instances_with_full_paths(string level, string keys)
    {
        var oracle = new FolderInstanceIndex(fixture.VisibleToA);
        oracle.Scan();
        var source = new ArchiveQueryRetrieveSource(fixture.Contexts, fixture.Service, fixture.ClinicA);
        var queryLevel = QueryLevels.Parse(level)!.Value;
        var identifier = Identifier(level, keys);
        var expected = new List<StoredInstance>();
        await foreach (var i in oracle.ResolveAsync(queryLevel, identifier, CaseInsensitive, CancellationToken.None)) expected.Add(i);
        var actual = new List<StoredInstance>();
        await foreach (var i in source.ResolveAsync(queryLevel, identifier, CaseInsensitive, CancellationToken.None)) actual.Add(i);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal), actual.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal));
        foreach (var i in actual)
        {
            Assert.True(Path.IsPathFullyQualified(i.Path));
            var header = DicomFile.Open(i.Path, new DicomReadOptions { StopBeforePixelData = true }).Dataset;
            Assert.Equal(i.SopInstanceUid, header.GetString(DicomTags.SOPInstanceUID));
            Assert.Equal(i.SopClassUid, header.GetString(DicomTags.SOPClassUID));
            Assert.Equal(i.StudyInstanceUid, header.GetString(DicomTags.StudyInstanceUID));
            Assert.Equal(i.SeriesInstanceUid, header.GetString(DicomTags.SeriesInstanceUID));
        }
    }

    [Fact]
    public async Task Retrieve_of_a_foreign_study_resolves_nothing()
    {
        var source = new ArchiveQueryRetrieveSource(fixture.Contexts, fixture.Service, fixture.ClinicA);
        var found = new List<StoredInstance>();
        await foreach (var i in source.ResolveAsync(QueryLevel.Study, Identifier("STUDY", "StudyInstanceUID=S6"), CaseInsensitive, CancellationToken.None)) found.Add(i);
        Assert.Empty(found);
        var asB = new ArchiveQueryRetrieveSource(fixture.Contexts, fixture.Service, fixture.ClinicB);
        await foreach (var i in asB.ResolveAsync(QueryLevel.Study, Identifier("STUDY", "StudyInstanceUID=S6"), CaseInsensitive, CancellationToken.None)) found.Add(i);
        Assert.Equal(2, found.Count);
    }

    [Fact]
    public async Task Findscu_sees_the_archive_as_its_calling_AE_organisation()
    {
        ArchiveCaller? CallerOf(DicomAssociation a) => a.CallingAeTitle switch
        {
            "CLINICA" => fixture.ClinicA with { Channel = "DIMSE", Name = "AE:CLINICA" },
            "CLINICB" => fixture.ClinicB with { Channel = "DIMSE", Name = "AE:CLINICB" },
            _ => null,
        };
        var source = new ArchiveQueryRetrieveSource(fixture.Contexts, fixture.Service, (a, _) => ValueTask.FromResult(CallerOf(a)));
        var registry = new DimseServiceRegistry().AddVerification().AddFind(source, CaseInsensitive);
        await using var server = new DicomServer(new DicomServerOptions { AeTitle = "ARCHIVE", ArtimTimeout = TimeSpan.FromSeconds(5) }, registry);
        server.Start(0, System.Net.IPAddress.Loopback);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);

        async Task<(Dcmtk.Result Result, List<DicomDataset> Responses)> Findscu(string aet, params string[] keys)
        {
            var output = Directory.CreateTempSubdirectory("rb-archive-findscu-").FullName;
            try
            {
                var args = new List<string> { "-S", "-d", "-aet", aet, "-aec", "ARCHIVE", "-X", "-od", output, "-k", "SpecificCharacterSet=ISO_IR 192" };
                foreach (var k in keys) args.AddRange(["-k", k]);
                args.AddRange(["127.0.0.1", port]);
                var result = await Dcmtk.RunAsync("findscu", args);
                return (result, [.. Directory.GetFiles(output, "rsp*.dcm").Order(StringComparer.Ordinal).Select(f => DicomFile.Open(f).Dataset)]);
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }

        var (a, asA) = await Findscu("CLINICA", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName=*张*", "NumberOfStudyRelatedInstances");
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal([QueryCorpus.StudyUid("S1"), QueryCorpus.StudyUid("S3"), QueryCorpus.StudyUid("S4")], asA.Select(r => r.GetString(DicomTags.StudyInstanceUID)).Order(StringComparer.Ordinal));
        Assert.Contains(asA, r => r.GetString(DicomTags.PatientName) == "Zhang^San=张^三" && r.GetString(DicomTags.NumberOfStudyRelatedInstances) == "5");

        var (b, asB) = await Findscu("CLINICB", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName=*张*");
        Assert.True(b.ExitCode == 0, b.ToString());
        Assert.Equal([QueryCorpus.StudyUid("S6")], asB.Select(r => r.GetString(DicomTags.StudyInstanceUID)));

        // An AE no organisation registered: the query fails with C000 naming why (the server's authoriser refuses such
        // associations in the first place; this is the source's own line of defence).
        var (unknown, none) = await Findscu("STRANGER", "QueryRetrieveLevel=STUDY", "StudyInstanceUID");
        Assert.Empty(none);
        Assert.Contains("0xc000: Failed: Unable to process", unknown.Output, StringComparison.Ordinal);
        Assert.Contains("calling AE 'STRANGER' is not registered", unknown.Output, StringComparison.Ordinal);
    }

    /// <summary>An identifier from "Keyword=value|Keyword|…"; "S1", "S1.1", "S1.1.1" stand for the corpus's UIDs.</summary>
    private static DicomDataset Identifier(string level, string keys)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, level);
        foreach (var key in keys.Split('|'))
        {
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            var keyword = eq < 0 ? key : key[..eq];
            var value = eq < 0 ? "" : key[(eq + 1)..];
            if (keyword == "StudyInstanceUID_LIST")
            {
                keyword = "StudyInstanceUID";
                value = QueryCorpus.StudyUid("S2") + "\\" + QueryCorpus.StudyUid("S5") + "\\" + QueryCorpus.StudyUid("S6");
            }
            if (value.StartsWith('S') && value.Length > 1 && char.IsAsciiDigit(value[1]) && !value.Contains('^', StringComparison.Ordinal)) value = Uid(value);
            var entry = DicomDictionary.Default.Find(keyword)!;
            if (value.Length == 0) ds.AddOrUpdate(entry.Tag, entry.VR, ReadOnlyMemory<byte>.Empty);
            else ds.AddOrUpdate(entry.Tag, entry.VR, value);
        }
        return ds;
    }

    private static string Uid(string shorthand)
    {
        var parts = shorthand.Split('.');
        return parts.Length switch
        {
            1 => QueryCorpus.StudyUid(parts[0]),
            2 => QueryCorpus.SeriesUid(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture) - 1),
            _ => QueryCorpus.InstanceUid(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture) - 1, int.Parse(parts[2], CultureInfo.InvariantCulture) - 1),
        };
    }

    // A response as text: every element but the character set (each side picks its own), values decoded.
    private static string Canonical(DicomDataset response) =>
        string.Join(" | ", response.Where(e => e.Tag != DicomTags.SpecificCharacterSet).Select(e => $"{e.Tag}={response.GetString(e.Tag) ?? ""}"));
}

public sealed class SqliteDimseQueryTests(SqliteQueryArchiveFixture fixture) : DimseQueryTests<SqliteQueryArchiveFixture>(fixture);

public sealed class PostgresDimseQueryTests(PostgresQueryArchiveFixture fixture) : DimseQueryTests<PostgresQueryArchiveFixture>(fixture);
