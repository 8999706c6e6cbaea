using RadBridge.Archive.Query;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Tests.Query;

/// <summary>
/// Every matching kind at every level, tenant isolation, paging and return keys, evaluated by the database. Written once
/// against <see cref="QueryArchiveFixture"/>; each provider runs it through its own subclass (SQLite, PostgreSQL).
/// </summary>
public abstract class ArchiveQueryTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : QueryArchiveFixture
{
    protected TFixture Fixture { get; } = fixture;

    private static string Key(string? studyUid) => QueryCorpus.Studies.Single(s => s.Uid == studyUid).Key;

    private static string[] StudyKeys(QueryResult result) =>
        [.. result.Matches.Select(m => Key(m.GetString(DicomTags.StudyInstanceUID))).Order(StringComparer.Ordinal)];

    private async Task<string[]> StudiesAsync(string parameters, QueryLevel level = QueryLevel.Study) =>
        StudyKeys(await Fixture.QidoAsync(Fixture.ClinicA, level, parameters));

    [Theory]
    [InlineData("PatientName=*张*", "S1,S3,S4")]
    [InlineData("PatientName=zhang*", "S1,S3,S4")]
    [InlineData("PatientName=ZHANG^S*", "S1")]
    [InlineData("PatientName=*^三", "S1")]
    [InlineData("PatientName=王*", "")]
    [InlineData("PatientName=*王^小明", "S2")]
    [InlineData("PatientName=Zhang^?an*", "S1")]
    [InlineData("PatientName=muller*", "S5")]
    [InlineData("PatientName=Wang^Xiaoming=王^小明", "S2")]
    [InlineData("PatientName=wang^xiaoming=王^小明", "")]
    [InlineData("PatientName=wang^xiaoming=王^小明&fuzzymatching=true", "S2")]
    [InlineData("PatientName=xiao&fuzzymatching=true", "S2")]
    [InlineData("PatientName=jose&fuzzymatching=true", "S5")]
    [InlineData("PatientName=张&fuzzymatching=true", "S1,S3,S4")]
    [InlineData("PatientName=iao&fuzzymatching=true", "")]
    [InlineData("ReferringPhysicianName=wang*", "S1,S3")]
    [InlineData("ReferringPhysicianName=*HELENE", "S5")]
    public async Task Person_names_match_on_the_folded_column(string parameters, string expected) =>
        Assert.Equal(Split(expected), await StudiesAsync(parameters));

    [Theory]
    [InlineData("StudyDate=20240115", "S1,S5")]
    [InlineData("StudyDate=20240101-20240131", "S1,S5")]
    [InlineData("StudyDate=-20231231", "S3")]
    [InlineData("StudyDate=20240301-", "S4,S7")]
    [InlineData("StudyDate=202401", "S1,S5")]
    [InlineData("StudyTime=1000-1100", "S1,S7")]
    [InlineData("StudyTime=10-10", "S1,S7")]
    [InlineData("StudyTime=091500.25", "S4")]
    [InlineData("StudyTime=0915-0915", "S4")]
    [InlineData("StudyTime=-0800", "S3")]
    [InlineData("StudyTime=235959-", "S5")]
    [InlineData("PatientBirthDate=19600101-19701231", "S1,S3,S4")]
    [InlineData("StudyDate=20240115-20240220&StudyTime=1200-1500", "S2")]
    public async Task Dates_and_times_match_single_values_and_ranges(string parameters, string expected) =>
        Assert.Equal(Split(expected), await StudiesAsync(parameters));

    [Fact]
    public async Task Combined_date_time_matching_treats_date_and_time_ranges_as_one_range()
    {
        var query = QidoQueryParser.Parse(QueryLevel.Study, QueryArchiveFixture.Pairs("StudyDate=20240115-20240220&StudyTime=1200-1500")) with { CombinedDateTimeMatching = true };
        // From 2024-01-15 12:00 to 2024-02-20 15:00: S5 (01-15 23:59:59) and S2 (02-20 14:00), not S1 (01-15 10:30).
        Assert.Equal(["S2", "S5"], StudyKeys(await Fixture.FindAsync(Fixture.ClinicA, query)));
    }

    [Theory]
    [InlineData("AccessionNumber=ACC_2", "S2")]
    [InlineData("AccessionNumber=ACC_*", "S2")]
    [InlineData("AccessionNumber=ACC%*", "S3")]
    [InlineData("AccessionNumber=ACC?", "S1,S4,S5")]
    [InlineData("AccessionNumber=ACC1", "S1")]
    [InlineData("AccessionNumber=acc*", "")]
    [InlineData("AccessionNumber=*", "S1,S2,S3,S4,S5,S7")]
    [InlineData("StudyDescription=CT*", "S1,S3")]
    [InlineData("StudyDescription=*ct*", "")]
    [InlineData("StudyID=S4", "S4")]
    [InlineData("PatientID=A003", "S3,S4")]
    [InlineData("00100020=A00?", "S1,S2,S3,S4,S5")]
    [InlineData("PatientSex=F", "S5")]
    public async Task Text_matches_case_sensitively_with_wildcards_and_literal_like_characters(string parameters, string expected) =>
        Assert.Equal(Split(expected), await StudiesAsync(parameters));

    [Theory]
    [InlineData("ModalitiesInStudy=MR", "S1,S2,S7")]
    [InlineData("ModalitiesInStudy=CT\\US", "S1,S3,S4")]
    [InlineData("ModalitiesInStudy=U*", "S4")]
    [InlineData("ModalitiesInStudy=PT", "")]
    [InlineData("SOPClassesInStudy=1.2.840.10008.5.1.4.1.1.6.1", "S4")]
    public async Task Modalities_in_study_match_any_series_of_the_study(string parameters, string expected) =>
        Assert.Equal(Split(expected), await StudiesAsync(parameters));

    [Fact]
    public async Task Uid_lists_match_any_of_their_uids()
    {
        Assert.Equal(["S1", "S3"], await StudiesAsync($"StudyInstanceUID={QueryCorpus.StudyUid("S1")},{QueryCorpus.StudyUid("S3")}"));
        Assert.Equal(["S1", "S3"], await StudiesAsync($"StudyInstanceUID={QueryCorpus.StudyUid("S1")}&StudyInstanceUID={QueryCorpus.StudyUid("S3")}"));
        Assert.Equal(["S2"], await StudiesAsync($"StudyInstanceUID={QueryCorpus.StudyUid("S2")}\\{QueryCorpus.StudyUid("S6")}"));
    }

    [Fact]
    public async Task Study_results_carry_the_default_attributes_and_computed_ones()
    {
        var result = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "StudyInstanceUID=" + QueryCorpus.StudyUid("S1"));
        var s1 = Assert.Single(result.Matches);
        Assert.Equal("ISO_IR 192", s1.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Zhang^San=张^三", s1.GetString(DicomTags.PatientName));
        Assert.Equal("A001", s1.GetString(DicomTags.PatientID));
        Assert.Equal("20240115", s1.GetString(DicomTags.StudyDate));
        Assert.Equal("103000", s1.GetString(DicomTags.StudyTime));
        Assert.Equal(["CT", "MR"], s1.GetStrings(DicomTags.ModalitiesInStudy));
        Assert.Equal("2", s1.GetString(DicomTags.NumberOfStudyRelatedSeries));
        Assert.Equal("5", s1.GetString(DicomTags.NumberOfStudyRelatedInstances));
        Assert.Equal("ONLINE", s1.GetString(DicomTags.InstanceAvailability));
        Assert.Equal("http://archive.test/dicomweb/studies/" + QueryCorpus.StudyUid("S1"), s1.GetString(DicomTags.RetrieveURL));
        Assert.Equal("19700101", s1.GetString(DicomTags.PatientBirthDate));
        Assert.False(s1.Contains(DicomTags.InstitutionName)); // not a default, not asked for
        Assert.False(s1.Contains(DicomTags.SeriesInstanceUID));
        Assert.Empty(result.Warnings);
        Assert.False(result.HasMore);
    }

    [Fact]
    public async Task Includefield_adds_indexed_attributes_and_reads_others_from_a_stored_instance()
    {
        var result = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "StudyDate=20240115&includefield=InstitutionName,00081030&includefield=SOPClassesInStudy");
        Assert.Equal(2, result.Matches.Count);
        foreach (var m in result.Matches)
        {
            var study = QueryCorpus.Studies.Single(s => s.Uid == m.GetString(DicomTags.StudyInstanceUID));
            Assert.Equal(study.Institution, m.GetString(DicomTags.InstitutionName));
            Assert.Equal(study.Description, m.GetString(DicomTags.StudyDescription));
            Assert.NotEmpty(m.GetString(DicomTags.SOPClassesInStudy) ?? "");
        }
        Assert.Equal("InstitutionName (0008,0080): not held by the index; the values were read from the stored instances", Assert.Single(result.Warnings));
        var s5 = result.Matches.Single(m => m.GetString(DicomTags.StudyInstanceUID) == QueryCorpus.StudyUid("S5"));
        Assert.Equal("Müller^José", s5.GetString(DicomTags.PatientName)); // stored as ISO_IR 100, returned as UTF-8
        Assert.Equal("Durand^Hélène", s5.GetString(DicomTags.ReferringPhysicianName));
    }

    [Fact]
    public async Task Includefield_all_returns_every_indexed_attribute_of_the_level_and_above()
    {
        var result = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "Modality=US&includefield=all");
        var us = Assert.Single(result.Matches);
        Assert.Equal("US liver", us.GetString(DicomTags.StudyDescription));
        Assert.Equal("US series 1", us.GetString(DicomTags.SeriesDescription));
        Assert.Equal("20240301", us.GetString(DicomTags.SeriesDate));
        Assert.Equal("ACC4", us.GetString(DicomTags.AccessionNumber));
        Assert.False(us.Contains(DicomTags.SOPInstanceUID));
        Assert.False(us.Contains(DicomTags.NumberOfPatientRelatedStudies));
    }

    [Fact]
    public async Task Series_level_matches_series_and_study_attributes()
    {
        var ct = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "Modality=CT");
        Assert.Equal([QueryCorpus.SeriesUid("S1", 0), QueryCorpus.SeriesUid("S3", 0)], ct.Matches.Select(m => m.GetString(DicomTags.SeriesInstanceUID)).Order(StringComparer.Ordinal));
        var zhangMr = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "PatientName=*张*&Modality=MR");
        var only = Assert.Single(zhangMr.Matches);
        Assert.Equal(QueryCorpus.SeriesUid("S1", 1), only.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal("2", only.GetString(DicomTags.SeriesNumber));
        Assert.Equal("2", only.GetString(DicomTags.NumberOfSeriesRelatedInstances));
        Assert.Equal(QueryCorpus.StudyUid("S1"), only.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal("Zhang^San=张^三", only.GetString(DicomTags.PatientName)); // /series without a study: study attributes too
        var number = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "SeriesNumber=2");
        Assert.Equal(QueryCorpus.SeriesUid("S1", 1), Assert.Single(number.Matches).GetString(DicomTags.SeriesInstanceUID));
        var s1Series = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "", study: QueryCorpus.StudyUid("S1"));
        Assert.Equal([QueryCorpus.SeriesUid("S1", 0), QueryCorpus.SeriesUid("S1", 1)], s1Series.Matches.Select(m => m.GetString(DicomTags.SeriesInstanceUID)));
        Assert.All(s1Series.Matches, m => Assert.False(m.Contains(DicomTags.PatientName))); // the target resource fixes the study
        var byDate = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "SeriesDate=20240101-20240131");
        Assert.Equal(3, byDate.Matches.Count); // S1's two series, S5's one
    }

    [Fact]
    public async Task Instance_level_matches_instance_series_and_study_attributes()
    {
        var s1 = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Image, "", study: QueryCorpus.StudyUid("S1"), series: QueryCorpus.SeriesUid("S1", 0));
        Assert.Equal([1, 2, 3], s1.Matches.Select(m => int.Parse(m.GetString(DicomTags.InstanceNumber)!, System.Globalization.CultureInfo.InvariantCulture)));
        var first = s1.Matches[0];
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", first.GetString(DicomTags.SOPClassUID));
        Assert.Equal(64, first.GetValue<ushort>(DicomTags.Rows));
        Assert.Equal(32, first.GetValue<ushort>(DicomTags.Columns));
        Assert.Equal(16, first.GetValue<ushort>(DicomTags.BitsAllocated));
        Assert.False(first.Contains(DicomTags.PatientName));
        Assert.EndsWith("/instances/" + QueryCorpus.InstanceUid("S1", 0, 0), first.GetString(DicomTags.RetrieveURL), StringComparison.Ordinal);

        var mr = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Image, "SOPClassUID=1.2.840.10008.5.1.4.1.1.4&InstanceNumber=2");
        Assert.Equal([QueryCorpus.InstanceUid("S1", 1, 1), QueryCorpus.InstanceUid("S2", 0, 1)], mr.Matches.Select(m => m.GetString(DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal));
        Assert.All(mr.Matches, m => Assert.NotNull(m.GetString(DicomTags.PatientName))); // /instances: study and series attributes too
        var byPatient = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Image, "PatientID=A003&includefield=InstitutionName");
        Assert.Equal(2, byPatient.Matches.Count);
        Assert.All(byPatient.Matches, m => Assert.Equal("Clinic A", m.GetString(DicomTags.InstitutionName)));
        var one = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Image, "SOPInstanceUID=" + QueryCorpus.InstanceUid("S2", 0, 0));
        Assert.Equal(QueryCorpus.SeriesUid("S2", 0), Assert.Single(one.Matches).GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public async Task Patient_level_counts_only_what_the_caller_sees()
    {
        var a003 = DimseQueryParser.Parse(QueryLevel.Patient, Identifier(("PatientID", "A003"), ("PatientName", ""), ("NumberOfPatientRelatedStudies", ""),
            ("NumberOfPatientRelatedSeries", ""), ("NumberOfPatientRelatedInstances", "")));
        var p = Assert.Single((await Fixture.FindAsync(Fixture.ClinicA, a003)).Matches);
        Assert.Equal("Zhang^Wei=张^伟", p.GetString(DicomTags.PatientName));
        Assert.Equal("2", p.GetString(DicomTags.NumberOfPatientRelatedStudies));
        Assert.Equal("2", p.GetString(DicomTags.NumberOfPatientRelatedSeries));
        Assert.Equal("2", p.GetString(DicomTags.NumberOfPatientRelatedInstances));
        Assert.Equal("PATIENT", p.GetString(DicomTags.QueryRetrieveLevel));

        var names = DimseQueryParser.Parse(QueryLevel.Patient, Identifier(("PatientName", "*张*"), ("PatientID", "")));
        Assert.Equal(["A001", "A003"], (await Fixture.FindAsync(Fixture.ClinicA, names)).Matches.Select(m => m.GetString(DicomTags.PatientID)).Order(StringComparer.Ordinal));
        Assert.Equal(["B001"], (await Fixture.FindAsync(Fixture.ClinicB, names)).Matches.Select(m => m.GetString(DicomTags.PatientID)));
        var all = DimseQueryParser.Parse(QueryLevel.Patient, Identifier(("PatientID", "")));
        Assert.Equal(["A001", "A002", "A003", "A004", "B002"], (await Fixture.FindAsync(Fixture.ClinicA, all)).Matches.Select(m => m.GetString(DicomTags.PatientID)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_organisation_sees_its_own_studies_and_those_shared_with_it_only()
    {
        Assert.Equal(["S1", "S2", "S3", "S4", "S5", "S7"], StudyKeys(await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "")));
        Assert.Equal(["S6", "S7"], StudyKeys(await Fixture.QidoAsync(Fixture.ClinicB, QueryLevel.Study, "")));
        Assert.Empty(StudyKeys(await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "StudyInstanceUID=" + QueryCorpus.StudyUid("S6"))));
        Assert.Empty((await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Series, "", study: QueryCorpus.StudyUid("S6"))).Matches);
        Assert.Empty((await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Image, "PatientID=B001")).Matches);
        Assert.Equal(["S6"], StudyKeys(await Fixture.QidoAsync(Fixture.ClinicB, QueryLevel.Image, "PatientName=*张*")).Distinct());
        Assert.Empty((await Fixture.QidoAsync(Fixture.ClinicB, QueryLevel.Series, "PatientID=A001")).Matches);
        Assert.Equal(3, (await Fixture.QidoAsync(Fixture.ClinicB, QueryLevel.Image, "")).Matches.Count); // S6: 2 instances, S7: 1
    }

    [Fact]
    public async Task An_auditor_sees_no_study_at_any_level()
    {
        foreach (var level in new[] { QueryLevel.Study, QueryLevel.Series, QueryLevel.Image })
        {
            Assert.Empty((await Fixture.QidoAsync(Fixture.AuditorA, level, "")).Matches);
        }
        Assert.Empty((await Fixture.FindAsync(Fixture.AuditorA, DimseQueryParser.Parse(QueryLevel.Patient, Identifier(("PatientID", ""))))).Matches);
    }

    [Fact]
    public async Task Limit_and_offset_page_through_a_stable_order()
    {
        var all = (await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "")).Matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)).ToList();
        Assert.Equal(6, all.Count);
        // Newest first: S7 (2024-05-05), S4 (03-01), S2 (02-20), S5 (01-15 23:59), S1 (01-15 10:30), S3 (2023-12-31).
        Assert.Equal(["S7", "S4", "S2", "S5", "S1", "S3"], all.Select(Key));
        var pages = new List<string?>();
        for (var offset = 0; offset < 6; offset += 4)
        {
            var page = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, $"limit=4&offset={offset}");
            Assert.Equal(offset == 0, page.HasMore);
            pages.AddRange(page.Matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)));
        }
        Assert.Equal(all, pages);
        var exact = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "limit=6");
        Assert.Equal(6, exact.Matches.Count);
        Assert.False(exact.HasMore);
        Assert.Empty((await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "offset=6")).Matches);
        var huge = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "limit=2147483647");
        Assert.Equal(6, huge.Matches.Count);
        Assert.False(huge.HasMore);
        var none = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Study, "limit=0");
        Assert.Empty(none.Matches);
        Assert.True(none.HasMore);
        var instances = await Fixture.QidoAsync(Fixture.ClinicA, QueryLevel.Image, "limit=2&offset=1", study: QueryCorpus.StudyUid("S1"), series: QueryCorpus.SeriesUid("S1", 0));
        Assert.Equal([QueryCorpus.InstanceUid("S1", 0, 1), QueryCorpus.InstanceUid("S1", 0, 2)], instances.Matches.Select(m => m.GetString(DicomTags.SOPInstanceUID)));
    }

    [Fact]
    public async Task Malformed_values_of_indexed_keys_are_refused_when_the_query_runs()
    {
        await Assert.ThrowsAsync<IndexQueryException>(() => Fixture.FindAsync(Fixture.ClinicA, new IndexQuery { Level = QueryLevel.Study, Conditions = [new MatchCondition(DicomTags.StudyDate, "2024-01-01-02")] }));
        await Assert.ThrowsAsync<IndexQueryException>(() => Fixture.FindAsync(Fixture.ClinicA, new IndexQuery { Level = QueryLevel.Study, Conditions = [new MatchCondition(DicomTags.StudyInstanceUID, "1.2.*")] }));
    }

    internal static DicomDataset Identifier(params (string Keyword, string Value)[] keys)
    {
        var ds = new DicomDataset();
        foreach (var (keyword, value) in keys)
        {
            var entry = DicomDictionary.Default.Find(keyword)!;
            if (value.Length == 0) ds.AddOrUpdate(entry.Tag, entry.VR, ReadOnlyMemory<byte>.Empty);
            else ds.AddOrUpdate(entry.Tag, entry.VR, value);
        }
        return ds;
    }

    private static string[] Split(string keys) => keys.Length == 0 ? [] : keys.Split(',');
}

public sealed class SqliteArchiveQueryTests(SqliteQueryArchiveFixture fixture) : ArchiveQueryTests<SqliteQueryArchiveFixture>(fixture);

public sealed class PostgresArchiveQueryTests(PostgresQueryArchiveFixture fixture) : ArchiveQueryTests<PostgresQueryArchiveFixture>(fixture);
