namespace RadBridge.Dicom.Tests.Values;

public class DicomUidTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.5.1.4.1.1.2")]
    [InlineData("0")]
    [InlineData("1.0.2")]
    [InlineData("2.25.329800735698586629295641978511506172918")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.2")] // 64 characters
    public void Valid_uids(string text)
    {
        Assert.True(DicomUid.IsValid(text));
        Assert.Equal(text, DicomUid.Parse(text).ToString());
        Assert.Equal(text, DicomUid.Parse(text).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1..2")]
    [InlineData("1.02")]
    [InlineData("01.2")]
    [InlineData("1.00")]
    [InlineData("1.2.a")]
    [InlineData("1.2 .3")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3 ")]
    [InlineData("1.2.-3")]
    [InlineData("1.2.+3")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25")] // 65 characters
    [InlineData("1.2.٣")]
    public void Invalid_uids_are_rejected_strictly(string text)
    {
        Assert.False(DicomUid.IsValid(text));
        Assert.False(DicomUid.TryParse(text, out _));
    }

    [Fact]
    public void Nul_padding_is_removed_strictly()
    {
        Assert.Equal("1.2.3", DicomUid.Parse("1.2.3\0").Value);
        Assert.False(DicomUid.IsValid("1.2.3\0"));
    }

    [Theory]
    [InlineData("1.2.3 ", "1.2.3")]
    [InlineData(" 1.2.3\0", "1.2.3")]
    [InlineData("1.2.040.5", "1.2.040.5")]
    public void Lenient_removes_spaces_and_accepts_leading_zeros(string text, string expected) =>
        Assert.Equal(expected, DicomUid.Parse(text, DicomParseMode.Lenient).Value);

    [Theory]
    [InlineData("1..2")]
    [InlineData("1.2.a")]
    [InlineData("1.2. 3")]
    public void Lenient_still_rejects_non_uids(string text) => Assert.False(DicomUid.TryParse(text, DicomParseMode.Lenient, out _));

    [Fact]
    public void FromGuid_reads_the_uuid_in_RFC_4122_order() =>
        // The example of PS3.5 §B.2.
        Assert.Equal("2.25.329800735698586629295641978511506172918",
            DicomUid.FromGuid(new Guid("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")).Value);

    [Fact]
    public void FromGuid_extremes()
    {
        Assert.Equal("2.25.0", DicomUid.FromGuid(Guid.Empty).Value);
        var max = DicomUid.FromGuid(new Guid("ffffffff-ffff-ffff-ffff-ffffffffffff")).Value;
        Assert.Equal("2.25." + UInt128.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), max);
        Assert.Equal(44, max.Length);
        Assert.True(DicomUid.IsValid(max));
    }

    [Fact]
    public void Generated_uids_are_unique_valid_and_short()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var uid = DicomUid.Generate().Value;
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
            Assert.True(uid.Length <= DicomUid.MaxLength, uid);
            Assert.True(DicomUid.IsValid(uid), uid);
            Assert.True(seen.Add(uid), uid);
        }
    }

    [Fact]
    public void Generated_uids_are_version_4_uuids()
    {
        var n = UInt128.Parse(DicomUid.Generate().Value["2.25.".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(4, (int)(n >> 76) & 0xF);       // version nibble
        Assert.Equal(0b10, (int)(n >> 62) & 0b11);   // RFC 4122 variant
    }

    [Fact]
    public void FromName_matches_the_RFC_9562_UUIDv8_example()
    {
        // RFC 9562 Appendix B.2: DNS namespace, "www.example.com" → 5c146b14-3c52-8afd-938a-375d0df1fbf6.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(DicomUid.FromGuid(new Guid("5c146b14-3c52-8afd-938a-375d0df1fbf6")), DicomUid.FromName(dns, "www.example.com"));
        Assert.Equal("2.25.122394993370442686744464334817678457846", DicomUid.FromName(dns, "www.example.com").Value);
    }

    [Fact]
    public void FromName_is_deterministic_and_distinguishes_inputs()
    {
        var a = DicomUid.FromName("radbridge-deid:project-7", "1.2.840.113619.2.55.3.604688119.969.1268071029.320");
        Assert.Equal(a, DicomUid.FromName("radbridge-deid:project-7", "1.2.840.113619.2.55.3.604688119.969.1268071029.320"));
        Assert.NotEqual(a, DicomUid.FromName("radbridge-deid:project-8", "1.2.840.113619.2.55.3.604688119.969.1268071029.320"));
        Assert.NotEqual(a, DicomUid.FromName("radbridge-deid:project-7", "1.2.840.113619.2.55.3.604688119.969.1268071029.321"));
        Assert.True(DicomUid.IsValid(a.Value));
        Assert.StartsWith("2.25.", a.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void FromName_with_text_namespace_is_documented_composition()
    {
        // v8(v8(OID namespace, namespaceName), name), as the XML doc promises; value computed independently with
        // Python's uuid/hashlib, and pinned so that the de-identification mapping never drifts.
        var viaText = DicomUid.FromName("1.2.3.4", "x");
        Assert.Equal(DicomUid.FromGuid(new Guid("ae0b489a-8d7f-890f-b9c2-9fc171451ac5")), viaText);
        Assert.Equal("2.25.231344259110439302324350241094358080197", viaText.Value);
    }

    [Fact]
    public void Equality_is_ordinal_on_the_text()
    {
        Assert.Equal(DicomUid.Parse("1.2.3"), DicomUid.Parse("1.2.3\0"));
        Assert.NotEqual(DicomUid.Parse("1.2.3"), DicomUid.Parse("1.2.30"));
        Assert.Equal("", default(DicomUid).Value);
    }
}
