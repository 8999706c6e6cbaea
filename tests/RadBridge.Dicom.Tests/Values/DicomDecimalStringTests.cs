using System.Globalization;

namespace RadBridge.Dicom.Tests.Values;

public class DicomDecimalStringTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("0.30000000000000")]
    [InlineData("1E10")]
    [InlineData("1e-10")]
    [InlineData("-1.5E+308")]
    [InlineData("6.02214076e23")]
    [InlineData("1.23456789012345")]
    [InlineData("-123456789012345")]
    [InlineData("5.E3")]
    public void Valid_values_round_trip_exactly(string text) =>
        Assert.Equal(text, DicomDecimalString.Parse(text).ToString());

    [Theory]
    [InlineData(" 1.5", "1.5")]
    [InlineData("1.5 ", "1.5")]
    [InlineData("   -2.25e3   ", "-2.25e3")]
    public void Leading_and_trailing_spaces_are_padding(string text, string expected) =>
        Assert.Equal(expected, DicomDecimalString.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("+")]
    [InlineData("-.")]
    [InlineData("1.2.3")]
    [InlineData("1 .5")]
    [InlineData("1,5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("e5")]
    [InlineData("1d5")]
    [InlineData("0x1A")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1E999")]
    [InlineData("1.23456789012345678")] // 19 characters
    [InlineData("１")] // full-width digit
    public void Invalid_values_are_rejected_strictly(string text) => Assert.False(DicomDecimalString.TryParse(text, out _));

    [Theory]
    [InlineData("0,5", "0.5")]
    [InlineData("-1,25e3", "-1250")]
    [InlineData("3.14159265358979323846", "3.14159265358979")]
    [InlineData("  0.000000000000000000001", "1E-21")]
    public void Lenient_normalises_to_conformant_text(string text, string expected) =>
        Assert.Equal(expected, DicomDecimalString.Parse(text, DicomParseMode.Lenient).ToString());

    [Theory]
    [InlineData("1,5.0")]
    [InlineData("NaN")]
    [InlineData("1E999")]
    public void Lenient_still_rejects_nonsense(string text) =>
        Assert.False(DicomDecimalString.TryParse(text, DicomParseMode.Lenient, out _));

    [Fact]
    public void Value_is_the_double()
    {
        Assert.Equal(0.1, DicomDecimalString.Parse("0.1").Value);
        Assert.Equal(-2250.0, DicomDecimalString.Parse("-2.25e3").Value);
        Assert.Equal(0.0, DicomDecimalString.Parse("1e-400").Value);
    }

    [Theory]
    [InlineData("1.50", "1.50")]
    [InlineData("0.1", "0.1")]
    [InlineData("-2.25e3", "-2250")]
    [InlineData("1e-20", "0.00000000000000000001")]
    [InlineData("1e-28", "0.0000000000000000000000000001")]
    [InlineData("7.9e28", "79000000000000000000000000000")]
    [InlineData("0", "0")]
    [InlineData("100E-30", "0.0000000000000000000000000001")]
    [InlineData("+0.000", "0.000")]
    public void Decimal_is_exact_when_representable(string text, string expected)
    {
        Assert.True(DicomDecimalString.Parse(text).TryGetDecimal(out var d));
        Assert.Equal(expected, d.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1e-29")]
    [InlineData("8e28")]
    [InlineData("1.5E308")]
    public void Decimal_is_refused_when_not_representable(string text) =>
        Assert.False(DicomDecimalString.Parse(text).TryGetDecimal(out _));

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-20, "1E-20")]
    [InlineData(-1234567890.12345, "-1234567890.1235")]
    [InlineData(double.MaxValue, "1.7976931348E308")]
    [InlineData(-double.MaxValue, "-1.797693134E308")]
    [InlineData(double.Epsilon, "5E-324")]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(1000.0, "1000")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e16, "1E16")]
    [InlineData(123456789012345678.0, "1.23456789012E17")]
    [InlineData(1.0 / 3.0, "0.33333333333333")]
    [InlineData(2.0 / 3.0, "0.66666666666667")]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(1e-5, "0.00001")]
    [InlineData(1.2345678901234e-10, "1.2345678901E-10")]
    [InlineData(-1.2345678901234e-100, "-1.23456789E-100")]
    [InlineData(3.14159265358979, "3.14159265358979")]
    [InlineData(0.5, "0.5")]
    [InlineData(-273.15, "-273.15")]
    public void FromDouble_formats_within_16_characters(double value, string expected)
    {
        var ds = DicomDecimalString.FromDouble(value);
        Assert.Equal(expected, ds.ToString());
        Assert.True(DicomDecimalString.TryParse(ds.ToString(), out _));
    }

    [Fact]
    public void FromDouble_keeps_negative_zero() => Assert.Equal("-0", DicomDecimalString.FromDouble(-0.0).ToString());

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FromDouble_refuses_what_DS_cannot_encode(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomDecimalString.FromDouble(value));

    [Fact]
    public void FromDouble_is_exact_when_shortest_form_fits_and_close_otherwise()
    {
        var random = new Random(20240601);
        var buffer = new byte[8];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            var value = BitConverter.ToDouble(buffer);
            if (!double.IsFinite(value)) continue;
            var text = DicomDecimalString.FromDouble(value).ToString();
            Assert.True(text.Length <= DicomDecimalString.MaxLength, text);
            Assert.True(DicomDecimalString.TryParse(text, out var back), text);
            var shortest = value.ToString("R", CultureInfo.InvariantCulture);
            if (shortest.Length <= 12) Assert.Equal(value, back.Value); // always fits, so must be exact
            if (value != 0) Assert.True(Math.Abs((back.Value - value) / value) <= 5e-9, $"{value:R} → {text}");
        }
    }

    [Fact]
    public void FromDouble_keeps_every_double_that_fits_exactly()
    {
        double[] values = [0.1, 0.25, 1e-300, 12345.678, -0.001, 1e21, 5e-324, 299792458, 1.5e-7];
        foreach (var v in values) Assert.Equal(v, DicomDecimalString.FromDouble(v).Value);
    }

    [Fact]
    public void Equality_is_textual()
    {
        Assert.NotEqual(DicomDecimalString.Parse("1.0"), DicomDecimalString.Parse("1"));
        Assert.Equal(DicomDecimalString.Parse("1.0").Value, DicomDecimalString.Parse("1").Value);
        Assert.Equal(DicomDecimalString.Parse(" 2.5"), DicomDecimalString.Parse("2.5 "));
        Assert.Equal("0", default(DicomDecimalString).ToString());
    }
}
