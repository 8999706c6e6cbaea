using RadBridge.Dicom.Deidentification;

namespace RadBridge.Dicom.Tests.Deidentification;

public sealed class DeidentificationValuesTests
{
    [Theory]
    [InlineData("20040119", -1, "20040118")]
    [InlineData("20040101", -1, "20031231")]
    [InlineData("20040228", 1, "20040229")]
    [InlineData("20040119\\19970430", -10, "20040109\\19970420")]
    [InlineData("20010101-20010131", 30, "20010131-20010302")]
    [InlineData("-20010131", -31, "-20001231")]
    [InlineData("2001.01.31", 1, "20010201")]
    public void Dates_move_by_the_given_number_of_days(string value, int days, string expected)
    {
        Assert.Equal(expected, DeidentificationValues.ShiftDates(value, DicomVR.DA, days));
    }

    [Theory]
    [InlineData("20010213184746", -1, "20010212184746")]
    [InlineData("20010213184746.123456+0100", -1, "20010212184746.123456+0100")]
    [InlineData("2001", -1, "2000")]
    [InlineData("200103", -31, "200101")]
    [InlineData("20010301-0500", 1, "20010302-0500")]
    public void Date_times_move_their_date_and_keep_time_precision_and_offset(string value, int days, string expected)
    {
        Assert.Equal(expected, DeidentificationValues.ShiftDates(value, DicomVR.DT, days));
    }

    [Theory]
    [InlineData("2001", DicomVR.DA)]
    [InlineData("20011341", DicomVR.DA)]
    [InlineData("yesterday", DicomVR.DT)]
    public void Values_that_are_not_dates_are_not_shifted(string value, DicomVR vr)
    {
        Assert.Null(DeidentificationValues.ShiftDates(value, vr, 5));
    }

    [Fact]
    public void Dummies_fit_their_VR()
    {
        foreach (var vr in new[] { DicomVR.AE, DicomVR.AS, DicomVR.DA, DicomVR.DT, DicomVR.TM, DicomVR.DS, DicomVR.IS, DicomVR.LO, DicomVR.SH, DicomVR.PN, DicomVR.ST, DicomVR.LT, DicomVR.UT, DicomVR.UC, DicomVR.UR })
        {
            var dummy = DeidentificationValues.DummyFor(vr);
            Assert.False(string.IsNullOrEmpty(dummy));
            if (vr.MaxValueLength() > 0) Assert.True(dummy.Length <= vr.MaxValueLength(), $"{vr}: {dummy}");
        }
        Assert.Null(DeidentificationValues.DummyFor(DicomVR.CS));
        Assert.Equal(8, DeidentificationValues.DummyBinary(DicomVR.OB, 7).Length);
        Assert.Equal(4, DeidentificationValues.DummyBinary(DicomVR.FL, 0).Length);
    }
}
