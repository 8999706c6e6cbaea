namespace RadBridge.Dicom.Tests.Values;

public class DicomDateTimeTests
{
    [Theory]
    [InlineData("2020", DicomTemporalPrecision.Year)]
    [InlineData("202003", DicomTemporalPrecision.Month)]
    [InlineData("20200314", DicomTemporalPrecision.Day)]
    [InlineData("2020031415", DicomTemporalPrecision.Hour)]
    [InlineData("202003141509", DicomTemporalPrecision.Minute)]
    [InlineData("20200314150926", DicomTemporalPrecision.Second)]
    [InlineData("20200314150926.5", DicomTemporalPrecision.Fraction1)]
    [InlineData("20200314150926.535", DicomTemporalPrecision.Fraction3)]
    [InlineData("20200314150926.535897", DicomTemporalPrecision.Fraction6)]
    [InlineData("20200314150926.535897+0000", DicomTemporalPrecision.Fraction6)]
    [InlineData("20200314150926.535897-1200", DicomTemporalPrecision.Fraction6)]
    [InlineData("20200314150926+1400", DicomTemporalPrecision.Second)]
    [InlineData("2020+0530", DicomTemporalPrecision.Year)]
    [InlineData("2020-0500", DicomTemporalPrecision.Year)]
    [InlineData("20161231235960+0000", DicomTemporalPrecision.Second)]
    public void Valid_values_round_trip_keeping_precision_and_offset(string text, DicomTemporalPrecision precision)
    {
        var dt = DicomDateTime.Parse(text);
        Assert.Equal(precision, dt.Precision);
        Assert.Equal(text, dt.ToString());
    }

    [Fact]
    public void Components_and_offset()
    {
        var dt = DicomDateTime.Parse("20200314150926.535-0530");
        Assert.Equal((2020, 3, 14, 15, 9, 26, 535_000), (dt.Year, dt.Month, dt.Day, dt.Hour, dt.Minute, dt.Second, dt.Microsecond));
        Assert.Equal(new TimeSpan(-5, -30, 0), dt.Offset);
        Assert.Null(DicomDateTime.Parse("2020").Offset);
    }

    [Fact]
    public void Own_offset_wins_over_the_default()
    {
        var dt = DicomDateTime.Parse("20200314150926+0100");
        var expected = new DateTimeOffset(2020, 3, 14, 15, 9, 26, TimeSpan.FromHours(1));
        Assert.Equal(expected, dt.ToDateTimeOffset(TimeSpan.FromHours(-8)));
        Assert.Equal(TimeSpan.FromHours(1), dt.ToDateTimeOffset(TimeSpan.FromHours(-8)).Offset);
    }

    [Fact]
    public void Missing_offset_takes_the_caller_default()
    {
        Assert.True(DicomDateTime.TryParseUtcOffset("-0800", out var zone)); // e.g. Timezone Offset From UTC (0008,0201)
        var value = DicomDateTime.Parse("20200314150926.5").ToDateTimeOffset(zone);
        Assert.Equal(new DateTimeOffset(2020, 3, 14, 15, 9, 26, 500, TimeSpan.FromHours(-8)), value);
        Assert.Equal(TimeSpan.FromHours(-8), value.Offset);
    }

    [Theory]
    [InlineData("2020", "2020-01-01T00:00:00.0000000+00:00", "2020-12-31T23:59:59.9999999+00:00")]
    [InlineData("202002", "2020-02-01T00:00:00.0000000+00:00", "2020-02-29T23:59:59.9999999+00:00")]
    [InlineData("20200314", "2020-03-14T00:00:00.0000000+00:00", "2020-03-14T23:59:59.9999999+00:00")]
    [InlineData("2020031415+0100", "2020-03-14T15:00:00.0000000+01:00", "2020-03-14T15:59:59.9999999+01:00")]
    [InlineData("20200314150926.5", "2020-03-14T15:09:26.5000000+00:00", "2020-03-14T15:09:26.5999999+00:00")]
    public void Earliest_and_latest_instants_follow_precision(string text, string earliest, string latest)
    {
        var dt = DicomDateTime.Parse(text);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(earliest, dt.ToDateTimeOffset(TimeSpan.Zero).ToString("O", inv));
        Assert.Equal(latest, dt.ToLatestDateTimeOffset(TimeSpan.Zero).ToString("O", inv));
    }

    [Theory]
    [InlineData("")]
    [InlineData("202")]
    [InlineData("20201")]
    [InlineData("0000")]
    [InlineData("202013")]
    [InlineData("20200230")]
    [InlineData("2020031424")]
    [InlineData("202003141560")]
    [InlineData("20200314150961")]
    [InlineData("20200314150926.")]
    [InlineData("20200314150926.1234567")]
    [InlineData("2020031415092")]
    [InlineData("2020+05")]
    [InlineData("2020+053")]
    [InlineData("2020+0560")]
    [InlineData("2020+1401")]
    [InlineData("2020-1201")]
    [InlineData("2020-0000")]
    [InlineData("2020 0101")]
    [InlineData(" 2020")]
    [InlineData("2020+0500+0500")]
    public void Invalid_values_are_rejected_strictly(string text) => Assert.False(DicomDateTime.TryParse(text, out _));

    [Theory]
    [InlineData(" 2020", "2020")]
    [InlineData("2020-0000", "2020+0000")]
    [InlineData("2020-1400", "2020-1400")]
    public void Lenient_normalises(string text, string expected) =>
        Assert.Equal(expected, DicomDateTime.Parse(text, DicomParseMode.Lenient).ToString());

    [Fact]
    public void Trailing_padding_is_insignificant() => Assert.Equal("20200314", DicomDateTime.Parse("20200314 ").ToString());

    [Fact]
    public void Leap_second_is_kept_and_converted_to_last_tick()
    {
        var dt = DicomDateTime.Parse("20161231235960+0000");
        Assert.Equal(60, dt.Second);
        Assert.Equal(new DateTimeOffset(2016, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), dt.ToDateTimeOffset(TimeSpan.Zero));
    }

    [Fact]
    public void FromDateTimeOffset_truncates_and_keeps_offset()
    {
        var value = new DateTimeOffset(2021, 7, 4, 13, 14, 15, 678, TimeSpan.FromHours(2)).AddTicks(9);
        Assert.Equal("20210704131415.678000+0200", DicomDateTime.FromDateTimeOffset(value).ToString());
        Assert.Equal("202107041314+0200", DicomDateTime.FromDateTimeOffset(value, DicomTemporalPrecision.Minute).ToString());
        Assert.Equal("202107", DicomDateTime.FromDateTimeOffset(value, DicomTemporalPrecision.Month, includeOffset: false).ToString());
        Assert.Equal("20210704131415.6", DicomDateTime.FromDateTime(value.DateTime, DicomTemporalPrecision.Fraction1).ToString());
    }

    [Fact]
    public void Combine_date_and_time()
    {
        var date = DicomDate.Parse("20200314");
        Assert.Equal("20200314150926.53", DicomDateTime.Combine(date, DicomTime.Parse("150926.53")).ToString());
        Assert.Equal("2020031415-0300", DicomDateTime.Combine(date, DicomTime.Parse("15"), TimeSpan.FromHours(-3)).ToString());
        Assert.Equal("20200314", DicomDateTime.Combine(date).ToString());
    }

    [Fact]
    public void Constructor_validates()
    {
        Assert.Throws<ArgumentException>(() => new DicomDateTime(2020, 3, 1, 0, 0, 0, 0, DicomTemporalPrecision.Year));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDateTime(2020, 1, 1, 0, 0, 0, 0, DicomTemporalPrecision.Year, TimeSpan.FromHours(15)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDateTime(2020, 1, 1, 0, 0, 0, 0, DicomTemporalPrecision.Year, TimeSpan.FromSeconds(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomDateTime(2020, 2, 30, 0, 0, 0, 0, DicomTemporalPrecision.Day));
    }

    [Theory]
    [InlineData("+0000", 0)]
    [InlineData("+0530", 330)]
    [InlineData("-0800", -480)]
    [InlineData("-1200", -720)]
    [InlineData("+1400", 840)]
    public void Utc_offsets_parse_and_format(string text, int minutes)
    {
        Assert.True(DicomDateTime.TryParseUtcOffset(text, out var offset));
        Assert.Equal(TimeSpan.FromMinutes(minutes), offset);
        Assert.Equal(text, DicomDateTime.FormatUtcOffset(offset));
    }

    [Theory]
    [InlineData("0500")]
    [InlineData("+05:00")]
    [InlineData("-0000")]
    [InlineData("+1500")]
    [InlineData(null)]
    public void Invalid_utc_offsets_are_rejected(string? text) => Assert.False(DicomDateTime.TryParseUtcOffset(text, out _));

    [Fact]
    public void Lenient_utc_offset()
    {
        Assert.True(DicomDateTime.TryParseUtcOffset(" -0000 ", DicomParseMode.Lenient, out var zero));
        Assert.Equal(TimeSpan.Zero, zero);
        Assert.True(DicomDateTime.TryParseUtcOffset("-1400", DicomParseMode.Lenient, out var far));
        Assert.Equal(TimeSpan.FromHours(-14), far);
    }

    [Fact]
    public void Ordering_uses_the_instant()
    {
        Assert.True(DicomDateTime.Parse("20200101120000+0100") < DicomDateTime.Parse("20200101120000+0000"));
        Assert.True(DicomDateTime.Parse("2020") < DicomDateTime.Parse("20200101"));
    }

    [Theory]
    [InlineData("20200101-20201231", "20200101", "20201231")]
    [InlineData("20200101-", "20200101", null)]
    [InlineData("-20201231", null, "20201231")]
    [InlineData("20200101120000-0500-20200102120000-0500", "20200101120000-0500", "20200102120000-0500")]
    [InlineData("20200101-0500-", "20200101-0500", null)]
    [InlineData("-20200101-0500", null, "20200101-0500")]
    [InlineData("2020-0500-2021+0100", "2020-0500", "2021+0100")]
    [InlineData("20200101-0500", "20200101-0500", "20200101-0500")]
    public void Ranges_split_around_negative_offsets(string text, string? start, string? end)
    {
        var r = DicomDateTimeRange.Parse(text);
        Assert.Equal(start, r.Start?.ToString());
        Assert.Equal(end, r.End?.ToString());
        Assert.Equal(text, r.ToString());
    }

    [Theory]
    [InlineData("-")]
    [InlineData("2020-2019-2018")]
    [InlineData("20200101--")]
    public void Invalid_ranges_are_rejected(string text) => Assert.False(DicomDateTimeRange.TryParse(text, out _));

    [Fact]
    public void Range_contains_uses_offsets_and_precision()
    {
        var r = DicomDateTimeRange.Parse("20200101-2020");
        Assert.True(r.Contains(DicomDateTime.Parse("20201231235959.999999"), TimeSpan.Zero));
        Assert.False(r.Contains(DicomDateTime.Parse("2021"), TimeSpan.Zero));
        // 2021-01-01T00:30+0100 is 2020-12-31T23:30Z: inside a UTC range ending with 2020.
        Assert.True(r.Contains(DicomDateTime.Parse("202101010030+0100"), TimeSpan.Zero));
        Assert.False(r.Contains(DicomDateTime.Parse("201912312330"), TimeSpan.Zero));
        Assert.True(r.Contains(DicomDateTime.Parse("201912312330-0100"), TimeSpan.Zero));
    }
}
