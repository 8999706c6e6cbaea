using RadBridge.Archive.Query;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Tests.Query;

public sealed class QueryParsingTests
{
    private static IndexQuery Qido(string parameters, QueryLevel level = QueryLevel.Study, string? study = null) =>
        QidoQueryParser.Parse(level, QueryArchiveFixture.Pairs(parameters), study);

    [Fact]
    public void Qido_keywords_tags_paging_fuzzy_and_include_fields()
    {
        var q = Qido("PatientName=zhang*&00080050=A1&limit=10&offset=20&fuzzymatching=true&includefield=InstitutionName,00081030&includefield=all&accept=application/dicom%2Bjson");
        Assert.Equal(QueryLevel.Study, q.Level);
        Assert.Equal("zhang*", q.ConditionOn(DicomTags.PatientName)!.Value);
        Assert.Equal("A1", q.ConditionOn(DicomTags.AccessionNumber)!.Value);
        Assert.Equal(10, q.Limit);
        Assert.Equal(20, q.Offset);
        Assert.True(q.FuzzyMatching);
        Assert.True(q.IncludeAllFields);
        Assert.Equal([DicomTags.InstitutionName, DicomTags.StudyDescription], q.IncludeFields);
        Assert.Equal(ResponseStyle.Qido, q.Style);
    }

    [Fact]
    public void Qido_uid_lists_come_comma_separated_or_repeated_and_the_target_resource_fixes_the_study()
    {
        var q = Qido("SeriesInstanceUID=1.2.3,1.2.4&SeriesInstanceUID=1.2.5", QueryLevel.Series, study: "1.2.9");
        Assert.Equal("1.2.3\\1.2.4\\1.2.5", q.ConditionOn(DicomTags.SeriesInstanceUID)!.Value);
        Assert.Equal("1.2.9", q.ConditionOn(DicomTags.StudyInstanceUID)!.Value);
        Assert.Equal("1.2.9", q.TargetStudyInstanceUid);
    }

    [Theory]
    [InlineData("Foo=1", "'Foo' is neither a DICOM keyword nor a tag")]
    [InlineData("patientname=x", "'patientname' is neither")]
    [InlineData("frobnicate=yes", "'frobnicate' is neither")]
    [InlineData("0009ABCD=1", "is not an attribute of the data dictionary")]
    [InlineData("includefield=NoSuchKeyword", "includefield 'NoSuchKeyword'")]
    [InlineData("ReferencedSeriesSequence.SeriesInstanceUID=1.2", "inside sequences is not supported")]
    [InlineData("InstitutionName=Clinic*", "matching on InstitutionName (0008,0080) is not supported: the index does not hold it")]
    [InlineData("NumberOfStudyRelatedInstances=3", "matching on NumberOfStudyRelatedInstances")]
    [InlineData("SOPInstanceUID=1.2.3", "SOPInstanceUID belongs to the instance level")]
    [InlineData("AccessionNumber=1&AccessionNumber=2", "AccessionNumber is given more than once")]
    [InlineData("StudyDate=2024-01", "StudyDate: '2024-01' is not a date or range")]
    [InlineData("StudyDate=yesterday", "is not a date or range")]
    [InlineData("StudyTime=25h", "is not a time or range")]
    [InlineData("StudyInstanceUID=1.2.*", "'1.2.*' is not a UID")]
    [InlineData("limit=-1", "limit must be a non-negative integer")]
    [InlineData("limit=1&limit=2", "limit is given more than once")]
    [InlineData("offset=ten", "offset must be a non-negative integer")]
    [InlineData("fuzzymatching=maybe", "fuzzymatching must be true or false")]
    public void Qido_refuses_what_it_cannot_answer_naming_it(string parameters, string expected)
    {
        var ex = Assert.Throws<IndexQueryException>(() => Qido(parameters));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DicomException>(ex);
    }

    [Fact]
    public void Oversized_values_and_uid_lists_are_refused()
    {
        Assert.Contains("longer than any stored value", Assert.Throws<IndexQueryException>(() => Qido("PatientName=" + new string('*', 5000))).Message, StringComparison.Ordinal);
        var uids = string.Join(',', Enumerable.Range(1, 5000).Select(i => "1.2." + i));
        Assert.Contains("a list of 5000 UIDs", Assert.Throws<IndexQueryException>(() => Qido("StudyInstanceUID=" + uids)).Message, StringComparison.Ordinal);
        Assert.Equal(int.MaxValue, Qido("limit=2147483647").Limit);
    }

    [Fact]
    public void Qido_has_no_patient_level_and_checks_the_target_uids()
    {
        Assert.Contains("no patient level", Assert.Throws<IndexQueryException>(() => Qido("", QueryLevel.Patient)).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid study instance UID", Assert.Throws<IndexQueryException>(() => Qido("", QueryLevel.Series, study: "../etc")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dimse_identifier_keys_become_conditions_and_return_keys()
    {
        var identifier = ArchiveQueryTests<SqliteQueryArchiveFixture>.Identifier(("QueryRetrieveLevel", "STUDY"), ("PatientName", "张*"), ("StudyDate", ""),
            ("InstitutionName", "Clinic*"), ("SeriesInstanceUID", "1.2.3"), ("NumberOfStudyRelatedInstances", ""));
        var q = DimseQueryParser.Parse(QueryLevel.Study, identifier, new MatchingOptions { CaseInsensitivePersonNames = true });
        Assert.Equal(ResponseStyle.Dimse, q.Style);
        Assert.True(q.CaseInsensitivePersonNames);
        Assert.Equal([DicomTags.StudyDate, DicomTags.PatientName], q.Conditions.Select(c => c.Tag).Order());
        // Institution Name is not indexed and Series Instance UID is below the level: ignored for matching, returned.
        Assert.Equal([DicomTags.InstitutionName, DicomTags.SeriesInstanceUID], q.IgnoredMatchingKeys.Order());
        Assert.Equal(5, q.IncludeFields.Count);
        Assert.DoesNotContain(DicomTags.QueryRetrieveLevel, q.IncludeFields);
        Assert.Throws<IndexQueryException>(() => DimseQueryParser.Parse(QueryLevel.Study, ArchiveQueryTests<SqliteQueryArchiveFixture>.Identifier(("StudyDate", "20240101--"))));
    }

    [Theory]
    [InlineData("zhang*", "zhang%")]
    [InlineData("*张?", "%张_")]
    [InlineData("100%_sure\\", "100\\%\\_sure\\\\")]
    [InlineData("a***b**", "a%b%")]
    [InlineData("%*", "\\%%")]
    public void Wildcards_become_like_patterns_with_like_characters_escaped(string value, string pattern) =>
        Assert.Equal(pattern, MatchValues.ToLikePattern(value));

    [Theory]
    [InlineData(IndexMatching.Date, "20240115", "20240115", "20240115")]
    [InlineData(IndexMatching.Date, "2024", "20240101", "20241231")]
    [InlineData(IndexMatching.Date, "20240101-", "20240101", null)]
    [InlineData(IndexMatching.Date, "-20240101", null, "20240101")]
    [InlineData(IndexMatching.Date, "2024.01.01-2024.02.01", "20240101", "20240201")]
    [InlineData(IndexMatching.Time, "1000-1100", "1", "110059.999999")]
    [InlineData(IndexMatching.Time, "10:30-", "103", null)]
    [InlineData(IndexMatching.Time, "-000000", null, "000000.999999")]
    public void Range_bounds_compare_as_stored_strings(IndexMatching kind, string value, string? low, string? high)
    {
        Assert.True(MatchValues.TryRange(kind, value, out var l, out var h));
        Assert.Equal(low, l);
        Assert.Equal(high, h);
    }
}
