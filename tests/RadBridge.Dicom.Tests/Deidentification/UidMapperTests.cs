using System.Text.RegularExpressions;
using RadBridge.Dicom.Deidentification;

namespace RadBridge.Dicom.Tests.Deidentification;

public sealed partial class UidMapperTests
{
    [Fact]
    public void The_same_UID_always_maps_to_the_same_valid_replacement()
    {
        var mapper = new UidMapper();
        var a = mapper.Map("1.2.840.113619.2.1.1");
        Assert.Equal(a, mapper.Map("1.2.840.113619.2.1.1"));
        Assert.Equal(a, mapper.Map("1.2.840.113619.2.1.1\0"));
        Assert.NotEqual(a, mapper.Map("1.2.840.113619.2.1.2"));
        Assert.Matches(UidForm(), a);
        Assert.True(a.Length <= 64);
        Assert.Equal(2, mapper.Count);
        Assert.True(mapper.TryGetMapped("1.2.840.113619.2.1.1", out var again) && again == a);
        Assert.False(mapper.TryGetMapped("9.9.9", out _));
    }

    [Fact]
    public void Without_a_secret_two_mappers_give_different_replacements()
    {
        Assert.NotEqual(new UidMapper().Map("1.2.3.4"), new UidMapper().Map("1.2.3.4"));
        Assert.False(new UidMapper().IsDeterministic);
    }

    [Fact]
    public void With_a_secret_the_replacement_is_the_name_based_UID_under_that_secret()
    {
        var one = new UidMapper("project secret");
        var two = new UidMapper("project secret");
        Assert.True(one.IsDeterministic);
        Assert.Equal(one.Map("1.2.840.113619.2.1.1"), two.Map("1.2.840.113619.2.1.1"));
        Assert.NotEqual(one.Map("1.2.840.113619.2.1.1"), new UidMapper("other secret").Map("1.2.840.113619.2.1.1"));
        // RFC 9562 UUIDv8 (SHA-256) of the UID within the UUIDv8 of the labelled secret in the OID namespace,
        // computed independently with Python's uuid and hashlib.
        Assert.Equal("2.25.2193211874416662671967788869981488963", one.Map("1.2.840.113619.2.1.1"));
    }

    [GeneratedRegex(@"^2\.25\.(0|[1-9][0-9]*)$")]
    private static partial Regex UidForm();
}
