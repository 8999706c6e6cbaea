namespace RadBridge.Dicom.Tests.Values;

public class DicomAgeTests
{
    [Theory]
    [InlineData("018M", 18, DicomAgeUnit.Months)]
    [InlineData("000D", 0, DicomAgeUnit.Days)]
    [InlineData("003W", 3, DicomAgeUnit.Weeks)]
    [InlineData("999Y", 999, DicomAgeUnit.Years)]
    [InlineData("045Y", 45, DicomAgeUnit.Years)]
    public void Valid_ages_round_trip(string text, int value, DicomAgeUnit unit)
    {
        var age = DicomAge.Parse(text);
        Assert.Equal((value, unit), (age.Value, age.Unit));
        Assert.Equal(text, age.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("18M")]
    [InlineData("0018M")]
    [InlineData("018m")]
    [InlineData("018X")]
    [InlineData("018")]
    [InlineData(" 18M")]
    [InlineData("-18M")]
    [InlineData("1 8M")]
    [InlineData("M018")]
    public void Invalid_ages_are_rejected_strictly(string text) => Assert.False(DicomAge.TryParse(text, out _));

    [Theory]
    [InlineData("18m", "018M")]
    [InlineData("5Y", "005Y")]
    [InlineData(" 045y ", "045Y")]
    public void Lenient_normalises(string text, string expected) =>
        Assert.Equal(expected, DicomAge.Parse(text, DicomParseMode.Lenient).ToString());

    [Theory]
    [InlineData("Y")]
    [InlineData("1000Y")]
    [InlineData("45")]
    [InlineData("45 Y")]
    public void Lenient_still_rejects_nonsense(string text) => Assert.False(DicomAge.TryParse(text, DicomParseMode.Lenient, out _));

    [Fact]
    public void Constructor_validates()
    {
        Assert.Equal("007W", new DicomAge(7, DicomAgeUnit.Weeks).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomAge(1000, DicomAgeUnit.Years));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomAge(-1, DicomAgeUnit.Years));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomAge(1, (DicomAgeUnit)9));
    }

    [Fact]
    public void Trailing_padding_is_insignificant() => Assert.Equal("018M", DicomAge.Parse("018M ").ToString());
}
