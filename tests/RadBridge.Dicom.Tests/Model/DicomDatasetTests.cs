using System.Text;

namespace RadBridge.Dicom.Tests.Model;

public class DicomDatasetTests
{
    [Fact]
    public void Typed_values_come_from_text_elements()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.StudyDate, "20240229")
            .AddOrUpdate(DicomTags.StudyTime, "101530.25")
            .AddOrUpdate(DicomTags.PatientAge, "045Y")
            .AddOrUpdate(DicomTags.SliceThickness, "1.250")
            .AddOrUpdate(DicomTags.SeriesNumber, "+7")
            .AddOrUpdate(DicomTags.PatientName, "Wang^XiaoDong=王^小东")
            .AddOrUpdate(DicomTags.PixelSpacing, "0.5", "0.75");

        Assert.Equal(new DateOnly(2024, 2, 29), ds.GetValue<DicomDate>(DicomTags.StudyDate).ToDateOnly());
        Assert.Equal(new DateOnly(2024, 2, 29), ds.GetValue<DateOnly>(DicomTags.StudyDate));
        Assert.Equal("101530.25", ds.GetValue<DicomTime>(DicomTags.StudyTime).ToString());
        Assert.Equal(45, ds.GetValue<DicomAge>(DicomTags.PatientAge).Value);
        Assert.Equal("1.250", ds.GetValue<DicomDecimalString>(DicomTags.SliceThickness).ToString());
        Assert.Equal(1.25, ds.GetValue<double>(DicomTags.SliceThickness));
        Assert.Equal(7, ds.GetValue<int>(DicomTags.SeriesNumber));
        Assert.Equal("王", ds.GetValue<DicomPersonName>(DicomTags.PatientName).Ideographic.FamilyName);
        Assert.Equal([0.5, 0.75], ds.GetValues<double>(DicomTags.PixelSpacing));
    }

    [Fact]
    public void Non_ascii_text_switches_the_character_set_and_keeps_existing_values()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientID, "P1").AddOrUpdate(DicomTags.InstitutionName, "Hôpital");
        Assert.Equal(["ISO_IR 100"], ds.SpecificCharacterSet);
        ds.AddOrUpdate(DicomTags.PatientName, "张^伟");
        Assert.Equal(["ISO_IR 192"], ds.SpecificCharacterSet);
        Assert.Equal("Hôpital", ds.GetString(DicomTags.InstitutionName));
        Assert.Equal("张^伟", ds.GetString(DicomTags.PatientName));
        var raw = ((DicomValueElement)ds[DicomTags.PatientName]!).Buffer.GetMemory().ToArray();
        Assert.Equal(Encoding.UTF8.GetBytes("张^伟"), raw);
    }

    [Fact]
    public void Items_inherit_the_character_set_of_their_parent()
    {
        var item = new DicomDataset();
        var ds = new DicomDataset().AddOrUpdate(new DicomSequence(DicomTags.ReferencedStudySequence, [item]));
        ds.ChangeSpecificCharacterSet(["GB18030"]);
        item.AddOrUpdate(DicomTags.StudyDescription, "胸部CT");
        Assert.Equal("胸部CT", item.GetString(DicomTags.StudyDescription));
        Assert.Equal(Encoding.GetEncoding("GB18030").GetBytes("胸部CT"), ((DicomValueElement)item[DicomTags.StudyDescription]!).Buffer.GetMemory().ToArray());
    }

    [Fact]
    public void Private_tags_are_reserved_per_creator()
    {
        var ds = new DicomDataset();
        var a = ds.GetOrReservePrivateTag(0x0029, "RADBRIDGE 1", 0x01);
        var b = ds.GetOrReservePrivateTag(0x0029, "OTHER", 0x01);
        var again = ds.GetOrReservePrivateTag(0x0029, "RADBRIDGE 1", 0x02);
        Assert.Equal(new DicomTag(0x0029, 0x1001), a);
        Assert.Equal(new DicomTag(0x0029, 0x1101), b);
        Assert.Equal(new DicomTag(0x0029, 0x1002), again);
        ds.AddOrUpdate(a, DicomVR.LO, "x");
        Assert.Equal("RADBRIDGE 1", ds.GetPrivateCreator(a));
    }

    [Fact]
    public void Missing_values_raise_the_core_exception()
    {
        var ds = new DicomDataset();
        var ex = Assert.Throws<DicomException>(() => ds.GetValue<int>(DicomTags.Rows));
        Assert.Contains("(0028,0010)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(-1, ds.GetValueOrDefault(DicomTags.Rows, 0, -1));
    }

    [Fact]
    public void Binary_values_round_trip_through_the_builder()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.SmallestImagePixelValue, DicomVR.SS, (short)-1024)
            .AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.FrameTime);
        Assert.Equal(512, ds.GetValue<int>(DicomTags.Rows));
        Assert.Equal(-1024, ds.GetValue<short>(DicomTags.SmallestImagePixelValue));
        Assert.Equal(DicomTags.FrameTime, ds.GetValue<DicomTag>(DicomTags.FrameIncrementPointer));
        Assert.Equal("00181063", ds.GetString(DicomTags.FrameIncrementPointer));
    }
}
