using RadBridge.Dicom.Deidentification;

namespace RadBridge.Dicom.Tests.Deidentification;

public sealed class ConfidentialityProfileTests
{
    private static readonly ConfidentialityProfile Profile = ConfidentialityProfile.Standard;
    private static readonly HashSet<ConfidentialityProfileOption> None = [];

    [Fact]
    public void The_shipped_table_has_every_row_of_the_transcribed_edition()
    {
        Assert.Equal(460, Profile.Rows.Count);
        Assert.Equal(4, Profile.Rows.Count(r => r.IsPattern));
        Assert.Equal(456, Profile.Rows.Where(r => !r.IsPattern).Select(r => r.Tag).Distinct().Count());
    }

    [Theory]
    [InlineData(0x0010, 0x0010, "Patient's Name", "Z")]
    [InlineData(0x0010, 0x0020, "Patient ID", "Z")]
    [InlineData(0x0010, 0x0030, "Patient's Birth Date", "Z")]
    [InlineData(0x0008, 0x0018, "SOP Instance UID", "U")]
    [InlineData(0x0008, 0x0080, "Institution Name", "X/Z/D")]
    [InlineData(0x0008, 0x0022, "Acquisition Date", "X/Z")]
    [InlineData(0x0008, 0x0023, "Content Date", "Z/D")]
    [InlineData(0x0008, 0x1140, "Referenced Image Sequence", "X/Z/U*")]
    [InlineData(0x0040, 0xA730, "Content Sequence", "D")]
    [InlineData(0x0400, 0x0561, "Original Attributes Sequence", "X")]
    public void Rows_give_the_basic_profile_action_of_the_standard(int group, int element, string name, string code)
    {
        var row = Profile.Find(new DicomTag((ushort)group, (ushort)element));
        Assert.NotNull(row);
        Assert.Equal(name, row.Name);
        Assert.Equal(code, row.BasicProfile.Code());
        Assert.Equal(code, row.Resolve(None).Code());
    }

    [Theory]
    [InlineData(0x0008, 0x0018, ConfidentialityProfileOption.RetainUids, "K")]
    [InlineData(0x0008, 0x1120, ConfidentialityProfileOption.RetainUids, "X")]
    [InlineData(0x0008, 0x0080, ConfidentialityProfileOption.RetainInstitutionIdentity, "K")]
    [InlineData(0x0018, 0x1000, ConfidentialityProfileOption.RetainDeviceIdentity, "K")]
    [InlineData(0x0010, 0x1030, ConfidentialityProfileOption.RetainPatientCharacteristics, "K")]
    [InlineData(0x0008, 0x0020, ConfidentialityProfileOption.RetainLongitudinalFullDates, "K")]
    [InlineData(0x0008, 0x0020, ConfidentialityProfileOption.RetainLongitudinalModifiedDates, "C")]
    [InlineData(0x0008, 0x103E, ConfidentialityProfileOption.CleanDescriptors, "C")]
    [InlineData(0x0040, 0xA730, ConfidentialityProfileOption.CleanStructuredContent, "C")]
    [InlineData(0x0070, 0x0001, ConfidentialityProfileOption.CleanGraphics, "C")]
    [InlineData(0x0010, 0x0010, ConfidentialityProfileOption.RetainUids, "Z")]
    public void An_option_column_overrides_the_basic_action_only_where_it_has_a_cell(int group, int element, ConfidentialityProfileOption option, string code)
    {
        var row = Profile.Find(new DicomTag((ushort)group, (ushort)element))!;
        Assert.Equal(code, row.Resolve(new HashSet<ConfidentialityProfileOption> { option }).Code());
    }

    [Fact]
    public void Where_several_enabled_options_have_a_cell_the_most_retaining_wins()
    {
        var deviceUid = Profile.Find(new DicomTag(0x0018, 0x1002))!; // U; Retain UIDs K, Retain Device Identity K
        Assert.Equal(DeidentificationAction.Keep, deviceUid.Resolve(new HashSet<ConfidentialityProfileOption> { ConfidentialityProfileOption.RetainDeviceIdentity, ConfidentialityProfileOption.CleanDescriptors }));
        var allergies = Profile.Find(new DicomTag(0x0010, 0x2110))!; // X; patient characteristics C, clean descriptors C
        Assert.Equal(DeidentificationAction.Clean, allergies.Resolve(new HashSet<ConfidentialityProfileOption> { ConfidentialityProfileOption.RetainPatientCharacteristics, ConfidentialityProfileOption.RetainUids }));
    }

    [Theory]
    [InlineData(0x6000, 0x3000, "Overlay Data")]
    [InlineData(0x601E, 0x3000, "Overlay Data")]
    [InlineData(0x6002, 0x4000, "Overlay Comments")]
    [InlineData(0x5000, 0x3000, "Curve Data")]
    [InlineData(0x501E, 0x0020, "Curve Data")]
    [InlineData(0x0009, 0x1001, "Private attributes (GGGG,EEEE) where GGGG is odd")]
    [InlineData(0x0029, 0x0010, "Private attributes (GGGG,EEEE) where GGGG is odd")]
    [InlineData(0x6001, 0x3000, "Private attributes (GGGG,EEEE) where GGGG is odd")]
    public void Repeating_groups_and_private_attributes_are_matched_by_pattern(int group, int element, string name)
    {
        Assert.Equal(name, Profile.Find(new DicomTag((ushort)group, (ushort)element))?.Name);
    }

    [Theory]
    [InlineData(0x6000, 0x0010)] // Overlay Rows: not in the table
    [InlineData(0x0028, 0x0010)] // Rows
    [InlineData(0x0008, 0x0016)] // SOP Class UID
    public void Attributes_the_table_does_not_list_have_no_row(int group, int element)
    {
        Assert.Null(Profile.Find(new DicomTag((ushort)group, (ushort)element)));
    }

    [Fact]
    public void Every_action_code_of_the_table_round_trips()
    {
        foreach (var action in Enum.GetValues<DeidentificationAction>())
        {
            Assert.True(DeidentificationActionCodes.TryParse(action.Code(), out var parsed));
            Assert.Equal(action, parsed);
        }
        Assert.False(DeidentificationActionCodes.TryParse("Q", out _));
    }

    [Fact]
    public void A_table_with_an_unknown_action_is_rejected()
    {
        const string text = "tag\tname\tin\tbasic\ta\tb\tc\td\te\tf\tg\th\ti\tj\n(0010,0010)\tPatient's Name\tY\tQ\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n";
        var ex = Assert.Throws<InvalidOperationException>(() => ConfidentialityProfile.Parse(new StringReader(text)));
        Assert.Contains("'Q'", ex.Message, StringComparison.Ordinal);
    }
}
