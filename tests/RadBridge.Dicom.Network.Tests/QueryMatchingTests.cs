using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>PS3.4 C.2.2.2 matching rules, one rule per test, against hand-built entities.</summary>
public sealed class QueryMatchingTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private static readonly DicomTag StudyTime = new(0x0008, 0x0030);
    private static readonly DicomTag AcquisitionDateTime = new(0x0008, 0x002A);
    private static readonly DicomTag Modality = new(0x0008, 0x0060);
    private static readonly DicomTag ModalitiesInStudy = new(0x0008, 0x0061);
    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag ReferringPhysician = new(0x0008, 0x0090);
    private static readonly DicomTag ProcedureCodeSequence = new(0x0008, 0x1032);
    private static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    private static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);

    private static DicomDataset Entity()
    {
        var d = new DicomDataset();
        d.AddOrUpdate(QueryLevels.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        d.AddOrUpdate(PatientName, DicomVR.PN, "SMITH^JOHN");
        d.AddOrUpdate(QueryLevels.PatientId, DicomVR.LO, "PID-42");
        d.AddOrUpdate(StudyDate, DicomVR.DA, "20240315");
        d.AddOrUpdate(StudyTime, DicomVR.TM, "101530.25");
        d.AddOrUpdate(AcquisitionDateTime, DicomVR.DT, "20240315101530");
        d.AddOrUpdate(ModalitiesInStudy, DicomVR.CS, "CT", "PR");
        d.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, "1.2.3.4");
        d.AddOrUpdate(SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        var codes = new DicomSequence(ProcedureCodeSequence);
        foreach (var (value, meaning) in new[] { ("A1", "CT HEAD"), ("B2", "CT CHEST") })
        {
            var item = new DicomDataset();
            item.AddOrUpdate(CodeValue, DicomVR.SH, value);
            item.AddOrUpdate(CodeMeaning, DicomVR.LO, meaning);
            codes.Items.Add(item);
        }
        d.Add(codes);
        return d;
    }

    private static bool Match(DicomTag tag, DicomVR vr, string key, MatchingOptions? options = null)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(tag, vr, key);
        return new QueryMatcher(identifier, QueryLevel.Study, options).IsMatch(Entity());
    }

    [Theory]
    [InlineData("", true)]            // universal
    [InlineData("SMITH^JOHN", true)]  // single value
    [InlineData("SMITH^JOHN ", true)] // trailing padding is insignificant
    [InlineData("SMITH", false)]      // single value is the whole value
    [InlineData("SMI*", true)]
    [InlineData("*JOHN", true)]
    [InlineData("S?ITH^J*", true)]
    [InlineData("S?ITH^J", false)]
    [InlineData("*", true)]
    [InlineData("smith*", false)]     // case-sensitive by default
    public void Person_name_single_value_universal_and_wildcards(string key, bool expected) =>
        Assert.Equal(expected, Match(PatientName, DicomVR.PN, key));

    [Fact]
    public void Case_insensitive_person_names_is_an_option_for_PN_only()
    {
        var options = new MatchingOptions { CaseInsensitivePersonNames = true };
        Assert.True(Match(PatientName, DicomVR.PN, "smith*", options));
        Assert.False(Match(QueryLevels.PatientId, DicomVR.LO, "pid-42", options));
    }

    [Theory]
    [InlineData("20240315", true)]
    [InlineData("20240316", false)]
    [InlineData("20240301-20240331", true)]
    [InlineData("20240316-20240331", false)]
    [InlineData("20240315-", true)]   // open end
    [InlineData("20240316-", false)]
    [InlineData("-20240315", true)]   // open start
    [InlineData("-20240314", false)]
    [InlineData("2024*", false)]      // no wildcards for dates: it is not a valid date value
    public void Date_single_value_and_ranges(string key, bool expected) =>
        Assert.Equal(expected, Match(StudyDate, DicomVR.DA, key));

    [Theory]
    [InlineData("1000-1100", true)]
    [InlineData("101530.25", true)]
    [InlineData("1015-1015", true)]   // an upper bound covers the whole minute it names
    [InlineData("1016-", false)]
    [InlineData("-10:15", true)]      // ACR-NEMA colons are tolerated
    public void Time_ranges(string key, bool expected) =>
        Assert.Equal(expected, Match(StudyTime, DicomVR.TM, key));

    [Theory]
    [InlineData("20240315-20240315", true)]
    [InlineData("202403151000-202403151100", true)]
    [InlineData("20240315120000-", false)]
    public void Datetime_ranges(string key, bool expected) =>
        Assert.Equal(expected, Match(AcquisitionDateTime, DicomVR.DT, key));

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("9.9\\1.2.3.4", true)] // list of UIDs
    [InlineData("9.9\\8.8", false)]
    [InlineData("1.2.3.*", false)]     // no wildcards for UIDs
    [InlineData("1.2.3", false)]
    public void Uid_single_value_and_list(string key, bool expected) =>
        Assert.Equal(expected, Match(QueryLevels.StudyInstanceUid, DicomVR.UI, key));

    [Theory]
    [InlineData("CT", true)]  // a multi-valued entity attribute matches when any value does
    [InlineData("PR", true)]
    [InlineData("MR", false)]
    [InlineData("?R", true)]
    public void Multi_valued_attribute_matches_any_value(string key, bool expected) =>
        Assert.Equal(expected, Match(ModalitiesInStudy, DicomVR.CS, key));

    [Fact]
    public void A_key_with_a_value_does_not_match_an_entity_without_the_attribute() =>
        Assert.False(Match(ReferringPhysician, DicomVR.PN, "DOE*"));

    [Fact]
    public void All_keys_must_match()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(PatientName, DicomVR.PN, "SMITH*");
        identifier.AddOrUpdate(StudyDate, DicomVR.DA, "20250101-");
        Assert.False(new QueryMatcher(identifier, QueryLevel.Study).IsMatch(Entity()));
        identifier.AddOrUpdate(StudyDate, DicomVR.DA, "20240101-");
        Assert.True(new QueryMatcher(identifier, QueryLevel.Study).IsMatch(Entity()));
    }

    [Fact]
    public void Sequence_matching_selects_items_and_returns_only_their_requested_keys()
    {
        var identifier = new DicomDataset();
        var key = new DicomSequence(ProcedureCodeSequence);
        var item = new DicomDataset();
        item.AddOrUpdate(CodeValue, DicomVR.SH, "B2");
        key.Items.Add(item);
        identifier.Add(key);
        var matcher = new QueryMatcher(identifier, QueryLevel.Study);
        Assert.True(matcher.IsMatch(Entity()));
        var returned = Assert.Single(matcher.BuildResponse(Entity()).GetSequence(ProcedureCodeSequence)!.Items);
        Assert.Equal("B2", returned.GetString(CodeValue));
        Assert.False(returned.Contains(CodeMeaning));

        item.AddOrUpdate(CodeValue, DicomVR.SH, "Z9");
        Assert.False(new QueryMatcher(identifier, QueryLevel.Study).IsMatch(Entity()));
    }

    [Fact]
    public void Empty_sequence_key_is_universal_and_returns_every_item()
    {
        var identifier = new DicomDataset();
        identifier.Add(new DicomSequence(ProcedureCodeSequence, [new DicomDataset()]));
        var matcher = new QueryMatcher(identifier, QueryLevel.Study);
        Assert.True(matcher.IsMatch(Entity()));
        Assert.Equal(2, matcher.BuildResponse(Entity()).GetSequence(ProcedureCodeSequence)!.Items.Count);
    }

    [Fact]
    public void Response_has_the_requested_keys_filled_plus_level_and_character_set_only()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(PatientName, DicomVR.PN, "");
        identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, "");
        identifier.AddOrUpdate(ReferringPhysician, DicomVR.PN, "");
        var response = new QueryMatcher(identifier, QueryLevel.Study).BuildResponse(Entity());
        Assert.Equal(
            [QueryLevels.SpecificCharacterSet, QueryLevels.Level, ReferringPhysician, PatientName, QueryLevels.StudyInstanceUid],
            response.Select(e => e.Tag).OrderBy(t => t == QueryLevels.SpecificCharacterSet ? 0 : t == QueryLevels.Level ? 1 : 2).ThenBy(t => t).ToArray());
        Assert.Equal("SMITH^JOHN", response.GetString(PatientName));
        Assert.Equal("1.2.3.4", response.GetString(QueryLevels.StudyInstanceUid));
        Assert.Equal("", response.GetString(ReferringPhysician)); // asked for, absent: zero length
        Assert.Equal("STUDY", response.GetString(QueryLevels.Level));
        Assert.False(response.Contains(Modality));
    }

    [Theory]
    [InlineData(QueryModel.StudyRoot, "STUDY", null, null, true)]
    [InlineData(QueryModel.StudyRoot, "PATIENT", null, null, false)] // Study Root has no patient level
    [InlineData(QueryModel.StudyRoot, "SERIES", null, "1.2.3", true)]
    [InlineData(QueryModel.StudyRoot, "SERIES", null, "1.2.*", false)]
    [InlineData(QueryModel.StudyRoot, "SERIES", null, "1.2\\1.3", false)]
    [InlineData(QueryModel.PatientRoot, "STUDY", null, null, false)] // needs the Patient ID
    [InlineData(QueryModel.PatientRoot, "STUDY", "PID-42", null, true)]
    [InlineData(QueryModel.PatientRoot, "SERIES", "PID-42", "1.2.3", true)]
    [InlineData(QueryModel.PatientRoot, "WARD", "PID-42", "1.2.3", false)]
    public void Hierarchy_needs_single_unique_keys_above_the_level(QueryModel model, string level, string? patient, string? study, bool valid)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, level);
        if (patient is not null) identifier.AddOrUpdate(QueryLevels.PatientId, DicomVR.LO, patient);
        if (study is not null) identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, study);
        var (parsed, status, problem) = QueryLevels.Validate(model, identifier);
        Assert.Equal(valid, parsed is not null);
        if (!valid)
        {
            Assert.Equal(0xA900, status.Code);
            Assert.False(string.IsNullOrEmpty(problem));
        }
    }
}
