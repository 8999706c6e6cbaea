namespace RadBridge.Dicom.Tests.Values;

public class DicomIntegerStringTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("42", 42)]
    [InlineData("+42", 42)]
    [InlineData("-42", -42)]
    [InlineData("0042", 42)]
    [InlineData("-0", 0)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    [InlineData("+2147483647", int.MaxValue)]
    [InlineData("+00000000001", 1)]
    public void Valid_values_round_trip(string text, int value)
    {
        var v = DicomIntegerString.Parse(text);
        Assert.Equal(value, v.Value);
        Assert.Equal(text, v.ToString());
    }

    [Theory]
    [InlineData(" 42", "42")]
    [InlineData("42 ", "42")]
    [InlineData("  -7  ", "-7")]
    public void Leading_and_trailing_spaces_are_padding(string text, string expected) =>
        Assert.Equal(expected, DicomIntegerString.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("99999999999")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("4 2")]
    [InlineData("42.0")]
    [InlineData("4e2")]
    [InlineData("0x10")]
    [InlineData("++1")]
    [InlineData("+000000000001")] // 13 characters
    [InlineData("١٢")]
    public void Invalid_values_are_rejected_strictly(string text) => Assert.False(DicomIntegerString.TryParse(text, out _));

    [Theory]
    [InlineData("42.0", "42")]
    [InlineData("42.", "42")]
    [InlineData("-0012.000", "-12")]
    [InlineData("+000000000001", "1")]
    public void Lenient_normalises(string text, string expected) =>
        Assert.Equal(expected, DicomIntegerString.Parse(text, DicomParseMode.Lenient).ToString());

    [Theory]
    [InlineData("42.5")]
    [InlineData("2147483648")]
    [InlineData("2147483648.0")]
    [InlineData(".0")]
    [InlineData("abc")]
    public void Lenient_still_rejects_non_integers(string text) =>
        Assert.False(DicomIntegerString.TryParse(text, DicomParseMode.Lenient, out _));

    [Fact]
    public void Equality_is_textual_value_is_numeric()
    {
        Assert.NotEqual(DicomIntegerString.Parse("+1"), DicomIntegerString.Parse("1"));
        Assert.Equal(DicomIntegerString.Parse("+1").Value, DicomIntegerString.Parse("1").Value);
        Assert.Equal(DicomIntegerString.Parse("1"), new DicomIntegerString(1));
        Assert.Equal("-2147483648", new DicomIntegerString(int.MinValue).ToString());
        Assert.Equal("0", default(DicomIntegerString).ToString());
    }
}
