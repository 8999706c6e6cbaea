namespace RadBridge.Dicom.Tests.Values;

public class DicomTimeTests
{
    [Theory]
    [InlineData("07", DicomTemporalPrecision.Hour)]
    [InlineData("1010", DicomTemporalPrecision.Minute)]
    [InlineData("235959", DicomTemporalPrecision.Second)]
    [InlineData("000000", DicomTemporalPrecision.Second)]
    [InlineData("070907.0", DicomTemporalPrecision.Fraction1)]
    [InlineData("070907.07", DicomTemporalPrecision.Fraction2)]
    [InlineData("070907.070", DicomTemporalPrecision.Fraction3)]
    [InlineData("070907.0705", DicomTemporalPrecision.Fraction4)]
    [InlineData("070907.07050", DicomTemporalPrecision.Fraction5)]
    [InlineData("235959.999999", DicomTemporalPrecision.Fraction6)]
    [InlineData("235960", DicomTemporalPrecision.Second)]
    [InlineData("235960.5", DicomTemporalPrecision.Fraction1)]
    public void Valid_times_round_trip_keeping_precision(string text, DicomTemporalPrecision precision)
    {
        var t = DicomTime.Parse(text);
        Assert.Equal(precision, t.Precision);
        Assert.Equal(text, t.ToString());
    }

    [Fact]
    public void Components_and_TimeOnly()
    {
        var t = DicomTime.Parse("070907.0705");
        Assert.Equal((7, 9, 7, 70500), (t.Hour, t.Minute, t.Second, t.Microsecond));
        Assert.Equal(4, t.FractionDigits);
        Assert.Equal(new TimeOnly(7, 9, 7, 70, 500), t.ToTimeOnly());
    }

    [Fact]
    public void Same_instant_with_different_precision_is_a_different_value()
    {
        Assert.NotEqual(DicomTime.Parse("1010"), DicomTime.Parse("101000"));
        Assert.Equal(DicomTime.Parse("1010").ToTimeOnly(), DicomTime.Parse("101000").ToTimeOnly());
        Assert.True(DicomTime.Parse("1010") < DicomTime.Parse("101000"));
    }

    [Theory]
    [InlineData("10", "10:59:59.9999999")]
    [InlineData("1010", "10:10:59.9999999")]
    [InlineData("101010", "10:10:10.9999999")]
    [InlineData("101010.5", "10:10:10.5999999")]
    [InlineData("101010.123456", "10:10:10.1234569")]
    [InlineData("235960", "23:59:59.9999999")]
    public void Latest_instant_follows_precision(string text, string latest) =>
        Assert.Equal(TimeOnly.Parse(latest, System.Globalization.CultureInfo.InvariantCulture), DicomTime.Parse(text).ToLatestTimeOnly());

    [Fact]
    public void Leap_second_maps_to_last_tick_of_minute()
    {
        var t = DicomTime.Parse("235960");
        Assert.Equal(60, t.Second);
        Assert.Equal(new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_999)), t.ToTimeOnly());
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("021")]
    [InlineData("24")]
    [InlineData("2400")]
    [InlineData("1060")]
    [InlineData("101061")]
    [InlineData("101010.")]
    [InlineData("101010.1234567")]
    [InlineData("1010.5")]
    [InlineData("10:10:10")]
    [InlineData(" 101010")]
    [InlineData("10 10")]
    [InlineData("-10")]
    [InlineData("101010,5")]
    public void Invalid_times_are_rejected_strictly(string text) => Assert.False(DicomTime.TryParse(text, out _));

    [Fact]
    public void Trailing_padding_is_insignificant() => Assert.Equal("1010", DicomTime.Parse("1010 ").ToString());

    [Theory]
    [InlineData("10:10:10", "101010")]
    [InlineData("10:10", "1010")]
    [InlineData("10:10:10.5", "101010.5")]
    [InlineData(" 101010 ", "101010")]
    [InlineData("101010.", "101010")]
    public void Lenient_accepts_ACR_NEMA_form(string text, string expected) =>
        Assert.Equal(expected, DicomTime.Parse(text, DicomParseMode.Lenient).ToString());

    [Theory]
    [InlineData("1:10:10")]
    [InlineData("10:1010")]
    [InlineData("10::10")]
    [InlineData("25:00")]
    public void Lenient_still_rejects_nonsense(string text) => Assert.False(DicomTime.TryParse(text, DicomParseMode.Lenient, out _));

    [Fact]
    public void FromTimeOnly_truncates_to_precision()
    {
        var t = new TimeOnly(13, 45, 59, 999, 999);
        Assert.Equal("13", DicomTime.FromTimeOnly(t, DicomTemporalPrecision.Hour).ToString());
        Assert.Equal("1345", DicomTime.FromTimeOnly(t, DicomTemporalPrecision.Minute).ToString());
        Assert.Equal("134559.99", DicomTime.FromTimeOnly(t, DicomTemporalPrecision.Fraction2).ToString());
        Assert.Equal("134559.999999", DicomTime.FromTimeOnly(t).ToString());
    }

    [Fact]
    public void Constructor_validates()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomTime(24));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomTime(10, 60));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomTime(10, 0, 0, 0, DicomTemporalPrecision.Day));
        Assert.Throws<ArgumentException>(() => new DicomTime(10, 10, 10, 123_456, DicomTemporalPrecision.Fraction3));
        Assert.Equal("101010.123", new DicomTime(10, 10, 10, 123_000, DicomTemporalPrecision.Fraction3).ToString());
    }

    [Fact]
    public void Default_is_midnight_with_hour_precision()
    {
        Assert.Equal("00", default(DicomTime).ToString());
        Assert.Equal(DicomTime.Parse("00"), default);
    }

    [Theory]
    [InlineData("0800-1700", "0800", "1700")]
    [InlineData("0800-", "0800", null)]
    [InlineData("-1700", null, "1700")]
    [InlineData("080000.5-170000.25", "080000.5", "170000.25")]
    [InlineData("12", "12", "12")]
    public void Ranges_parse_and_round_trip(string text, string? start, string? end)
    {
        var r = DicomTimeRange.Parse(text);
        Assert.Equal(start, r.Start?.ToString());
        Assert.Equal(end, r.End?.ToString());
        Assert.Equal(text, r.ToString());
    }

    [Theory]
    [InlineData("-")]
    [InlineData("08-17-")]
    [InlineData("0800-2500")]
    public void Invalid_ranges_are_rejected(string text) => Assert.False(DicomTimeRange.TryParse(text, out _));

    [Fact]
    public void Range_end_covers_its_precision()
    {
        var r = DicomTimeRange.Parse("0800-1010");
        Assert.True(r.Contains(DicomTime.Parse("080000")));
        Assert.True(r.Contains(DicomTime.Parse("101059.999999")));
        Assert.False(r.Contains(DicomTime.Parse("1011")));
        Assert.False(r.Contains(DicomTime.Parse("075959.999999")));
        Assert.True(DicomTimeRange.Parse("10").Contains(DicomTime.Parse("103000")));
    }
}
