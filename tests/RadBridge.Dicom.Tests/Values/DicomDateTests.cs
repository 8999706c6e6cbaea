namespace RadBridge.Dicom.Tests.Values;

public class DicomDateTests
{
    [Theory]
    [InlineData("19930822")]
    [InlineData("00010101")]
    [InlineData("99991231")]
    [InlineData("20240229")]
    public void Valid_dates_round_trip(string text) => Assert.Equal(text, DicomDate.Parse(text).ToString());

    [Fact]
    public void Components_and_DateOnly()
    {
        var d = DicomDate.Parse("19930822");
        Assert.Equal((1993, 8, 22), (d.Year, d.Month, d.Day));
        Assert.Equal(new DateOnly(1993, 8, 22), d.ToDateOnly());
        Assert.Equal(d, new DicomDate(new DateOnly(1993, 8, 22)));
    }

    [Fact]
    public void Trailing_padding_is_insignificant() => Assert.Equal("19930822", DicomDate.Parse("19930822 ").ToString());

    [Theory]
    [InlineData("")]
    [InlineData("1993082")]
    [InlineData("199308221")]
    [InlineData("00000101")]
    [InlineData("19931301")]
    [InlineData("19930001")]
    [InlineData("19930230")]
    [InlineData("20230229")]
    [InlineData("19930800")]
    [InlineData("1993-08-22")]
    [InlineData("1993.08.22")]
    [InlineData(" 19930822")]
    [InlineData("1993082a")]
    [InlineData("+1993082")]
    [InlineData("١٩٩٣٠٨٢٢")] // Arabic-Indic digits are not DICOM digits
    public void Invalid_dates_are_rejected_strictly(string text)
    {
        Assert.False(DicomDate.TryParse(text, out _));
        Assert.Throws<FormatException>(() => DicomDate.Parse(text));
    }

    [Theory]
    [InlineData("1993.08.22", "19930822")]
    [InlineData(" 19930822 ", "19930822")]
    [InlineData(" 1993.08.22", "19930822")]
    public void Lenient_accepts_ACR_NEMA_form_and_leading_spaces(string text, string expected) =>
        Assert.Equal(expected, DicomDate.Parse(text, DicomParseMode.Lenient).ToString());

    [Theory]
    [InlineData("1993.13.22")]
    [InlineData("1993/08/22")]
    [InlineData("93.08.22")]
    public void Lenient_still_rejects_nonsense(string text) => Assert.False(DicomDate.TryParse(text, DicomParseMode.Lenient, out _));

    [Fact]
    public void Null_is_not_a_date() => Assert.False(DicomDate.TryParse(null, out _));

    [Fact]
    public void Dates_order_chronologically()
    {
        Assert.True(DicomDate.Parse("19991231") < DicomDate.Parse("20000101"));
        Assert.True(DicomDate.Parse("20000101") >= DicomDate.Parse("20000101"));
    }

    [Theory]
    [InlineData("20200101-20201231", "20200101", "20201231")]
    [InlineData("20200101-", "20200101", null)]
    [InlineData("-20201231", null, "20201231")]
    [InlineData("20200315", "20200315", "20200315")]
    public void Ranges_parse_and_round_trip(string text, string? start, string? end)
    {
        var r = DicomDateRange.Parse(text);
        Assert.Equal(start, r.Start?.ToString());
        Assert.Equal(end, r.End?.ToString());
        Assert.Equal(text, r.ToString());
    }

    [Theory]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("20200101--20201231")]
    [InlineData("20200101-2020123")]
    [InlineData("20200101 - 20201231")]
    [InlineData("2020.01.01-")]
    [InlineData("20200101-20201231-")]
    public void Invalid_ranges_are_rejected(string text) => Assert.False(DicomDateRange.TryParse(text, out _));

    [Fact]
    public void Range_with_trailing_padding_is_read() => Assert.Equal("20200101-", DicomDateRange.Parse("20200101- ").ToString());

    [Fact]
    public void Lenient_range_accepts_spaces_and_old_form() =>
        Assert.Equal("20200101-20201231", DicomDateRange.Parse("2020.01.01 - 2020.12.31", DicomParseMode.Lenient).ToString());

    [Fact]
    public void Range_contains_its_bounds_inclusively()
    {
        var r = DicomDateRange.Parse("20200101-20201231");
        Assert.True(r.Contains(new DateOnly(2020, 1, 1)));
        Assert.True(r.Contains(DicomDate.Parse("20201231")));
        Assert.False(r.Contains(DicomDate.Parse("20210101")));
        Assert.False(r.Contains(DicomDate.Parse("20191231")));
        Assert.True(DicomDateRange.Parse("-20201231").Contains(DicomDate.Parse("00010101")));
        Assert.True(DicomDateRange.Parse("20200101-").Contains(DicomDate.Parse("99991231")));
    }

    [Fact]
    public void Range_needs_a_bound() => Assert.Throws<ArgumentException>(() => new DicomDateRange(null, null));
}
