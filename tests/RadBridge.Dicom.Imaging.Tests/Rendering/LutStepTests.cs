using System.Buffers.Binary;
using RadBridge.Dicom.Imaging.Rendering;

namespace RadBridge.Dicom.Imaging.Tests.Rendering;

/// <summary>Each rendering step against values worked out by hand from the formulas of PS3.3 C.11 and C.7.6.3.</summary>
public class LutStepTests
{
    private static byte[] Words(params int[] values)
    {
        var b = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), (ushort)values[i]);
        return b;
    }

    [Fact]
    public void Descriptor_with_zero_entries_means_65536()
    {
        var data = Words(Enumerable.Range(0, 65536).Select(i => i >> 4).ToArray());
        var t = LookupTable.Read(Words(0, 0, 12), data, false, "test");
        Assert.Equal(65536, t.Entries.Length);
        Assert.Equal(4095, t.Lookup(65535));
    }

    [Fact]
    public void First_mapped_value_is_signed_for_signed_pixels()
    {
        var t = LookupTable.Read(Words(3, 0xFC00, 16), Words(10, 20, 30), firstMappedSigned: true, "test");
        Assert.Equal(-1024, t.FirstMapped);
        Assert.Equal(10, t.Lookup(-2000)); // below the first mapped value: first entry
        Assert.Equal(20, t.Lookup(-1023));
        Assert.Equal(30, t.Lookup(5000));  // past the end: last entry
        var unsigned = LookupTable.Read(Words(3, 0xFC00, 16), Words(10, 20, 30), firstMappedSigned: false, "test");
        Assert.Equal(64512, unsigned.FirstMapped);
    }

    [Fact]
    public void Eight_bit_entries_one_per_byte_or_in_the_high_byte_of_words()
    {
        var packed = LookupTable.Read(Words(4, 0, 8), [1, 2, 3, 4], false, "test");
        Assert.Equal([1, 2, 3, 4], packed.Entries.ToArray());
        var high = LookupTable.Read(Words(2, 0, 8), Words(0x1100, 0xFF00), false, "test");
        Assert.Equal([0x11, 0xFF], high.Entries.ToArray());
        Assert.Equal(255, high.MaxEntryValue);
    }

    [Fact]
    public void Too_little_data_for_the_descriptor_is_a_clear_error()
    {
        var e = Assert.Throws<RenderingException>(() => LookupTable.Read(Words(100, 0, 16), Words(1, 2), false, "VOI LUT Sequence item 1"));
        Assert.Contains("VOI LUT Sequence item 1", e.Message);
        Assert.Throws<RenderingException>(() => LookupTable.Read(Words(1, 0), Words(1), false, "x"));
        Assert.Throws<RenderingException>(() => LookupTable.Read(Words(1, 0, 40), Words(1), false, "x"));
    }

    [Fact]
    public void Rescale_slope_and_intercept()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.RescaleSlope, "0.5");
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        ds.AddOrUpdate(DicomTags.RescaleType, "HU");
        var m = ModalityLut.FromDataset(ds, pixelSigned: false);
        Assert.Equal(-1024 + 1000, m.Apply(2000));
        Assert.Equal("HU", m.RescaleType);
        Assert.Equal((-1024, -1024 + 32767.5), m.OutputRange(0, 65535));
    }

    [Fact]
    public void Modality_LUT_Sequence_takes_precedence_over_rescale()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.LUTDescriptor, DicomVR.US, (ushort)4, (ushort)2, (ushort)12);
        item.AddOrUpdate(DicomTags.LUTData, DicomVR.OW, Words(100, 200, 400, 800));
        item.AddOrUpdate(DicomTags.ModalityLUTType, "OD");
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(DicomTags.ModalityLUTSequence, [item]));
        ds.AddOrUpdate(DicomTags.RescaleSlope, "3");
        var m = ModalityLut.FromDataset(ds, pixelSigned: false);
        Assert.NotNull(m.Table);
        Assert.Equal(100, m.Apply(0));
        Assert.Equal(400, m.Apply(4));
        Assert.Equal(800, m.Apply(99));
        Assert.Equal("OD", m.RescaleType);
    }

    [Theory]
    // LINEAR (C.11.2.1.2.1), c = 40, w = 400: bottom edge c − 0.5 − (w−1)/2 = −160, top edge c − 0.5 + (w−1)/2 = 239.
    [InlineData(VoiLutFunction.Linear, -160, 0.0)]
    [InlineData(VoiLutFunction.Linear, -159, 0.00250626566)]  // ((−159 − 39.5)/399 + 0.5)
    [InlineData(VoiLutFunction.Linear, 40, 0.50125313283)]    // ((40 − 39.5)/399 + 0.5)
    [InlineData(VoiLutFunction.Linear, 238, 0.99749373434)]   // ((238 − 39.5)/399 + 0.5)
    [InlineData(VoiLutFunction.Linear, 239, 1.0)]
    [InlineData(VoiLutFunction.Linear, 239.01, 1.0)]
    // LINEAR_EXACT (C.11.2.1.3.2): edges c ± w/2 = −160 and 240.
    [InlineData(VoiLutFunction.LinearExact, -160, 0.0)]
    [InlineData(VoiLutFunction.LinearExact, 40, 0.5)]
    [InlineData(VoiLutFunction.LinearExact, 140, 0.75)]
    [InlineData(VoiLutFunction.LinearExact, 240, 1.0)]
    // SIGMOID (C.11.2.1.3.1): 1 / (1 + exp(−4 (x − c) / w)).
    [InlineData(VoiLutFunction.Sigmoid, 40, 0.5)]
    [InlineData(VoiLutFunction.Sigmoid, 140, 0.73105857863)]  // 1/(1+e^−1)
    [InlineData(VoiLutFunction.Sigmoid, -60, 0.26894142137)]
    public void Window_functions_follow_the_standard(VoiLutFunction function, double x, double expected)
    {
        var w = new WindowLevel(40, 400, function);
        Assert.Equal(expected, w.Apply(x), 9);
    }

    [Fact]
    public void Window_width_limits_per_function()
    {
        Assert.Throws<RenderingException>(() => new WindowLevel(0, 0.5, VoiLutFunction.Linear));
        Assert.Throws<RenderingException>(() => new WindowLevel(0, 0, VoiLutFunction.LinearExact));
        Assert.Throws<RenderingException>(() => new WindowLevel(0, -1, VoiLutFunction.Sigmoid));
        var one = new WindowLevel(100, 1, VoiLutFunction.Linear);
        Assert.Equal(0, one.Apply(99.5));  // width 1 is a threshold at c − 0.5
        Assert.Equal(1, one.Apply(99.6));
        _ = new WindowLevel(0, 0.5, VoiLutFunction.LinearExact);
    }

    [Fact]
    public void Several_windows_with_explanations_and_function_from_the_data_set()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.WindowCenter, "40", "-600");
        ds.AddOrUpdate(DicomTags.WindowWidth, "400", "1500");
        ds.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, "SOFT", "LUNG");
        ds.AddOrUpdate(DicomTags.VOILUTFunction, "SIGMOID");
        var windows = WindowLevel.FromDataset(ds);
        Assert.Equal(2, windows.Count);
        Assert.Equal((-600.0, 1500.0, VoiLutFunction.Sigmoid, "LUNG"), (windows[1].Center, windows[1].Width, windows[1].Function, windows[1].Explanation));
        Assert.True(WindowPresets.TryGet("Lung", out var lung));
        Assert.Equal((-600.0, 1500.0), (lung.Center, lung.Width));
        Assert.False(WindowPresets.TryGet("nonsense", out _));
    }

    [Fact]
    public void VOI_LUT_table_output_is_scaled_by_its_bit_depth()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.LUTDescriptor, DicomVR.US, (ushort)3, unchecked((ushort)-10), (ushort)10);
        item.AddOrUpdate(DicomTags.LUTData, DicomVR.OW, Words(0, 511, 1023));
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(DicomTags.VOILUTSequence, [item]));
        var tables = VoiTransform.LutSequenceFromDataset(ds, modalitySigned: true);
        var voi = VoiTransform.FromTable(tables[0]);
        Assert.Equal(0, voi.Apply(-100));
        Assert.Equal(511 / 1023.0, voi.Apply(-9), 12);
        Assert.Equal(1, voi.Apply(50));
    }

    [Fact]
    public void Monochrome1_and_inverse_shape_invert_once()
    {
        var ds = new DicomDataset();
        Assert.True(GreyscalePipeline.IsInverted(ds, "MONOCHROME1"));
        Assert.False(GreyscalePipeline.IsInverted(ds, "MONOCHROME2"));
        ds.AddOrUpdate(DicomTags.PresentationLUTShape, "INVERSE");
        Assert.True(GreyscalePipeline.IsInverted(ds, "MONOCHROME2"));
        Assert.True(GreyscalePipeline.IsInverted(ds, "MONOCHROME1"));
        var p = new GreyscalePipeline(ModalityLut.Identity, VoiTransform.FromRange(0, 100), invert: true);
        Assert.Equal(0.75, p.Map(25), 12);
    }

    [Fact]
    public void Segmented_palette_discrete_linear_and_indirect()
    {
        // discrete [0, 10], linear to 40 over 3 entries (20, 30, 40), then indirect: copy 2 segments from word 0.
        var data = Words(0, 2, 0, 10, 1, 3, 40, 2, 2, 0, 0);
        var entries = PaletteColorLut.ExpandSegments(data, 10);
        Assert.Equal(new ushort[] { 0, 10, 20, 30, 40, 0, 10 }, entries[..7]);
        // The copied linear segment starts from the last value before it (10) and runs to 40.
        Assert.Equal(new ushort[] { 20, 30, 40 }, entries[7..10]);
        Assert.Throws<RenderingException>(() => PaletteColorLut.ExpandSegments(Words(7, 1, 0), 1));
        Assert.Throws<RenderingException>(() => PaletteColorLut.ExpandSegments(Words(0, 5, 1), 5));
        Assert.Throws<RenderingException>(() => PaletteColorLut.ExpandSegments(Words(0, 2, 1, 2), 10));
    }

    [Fact]
    public void Palette_entries_scale_to_8_bits()
    {
        var ds = new DicomDataset();
        foreach (var (colour, values) in new[] { (0, Words(0, 65535)), (1, Words(32896, 0)), (2, Words(257, 514)) })
        {
            ds.AddOrUpdate(new DicomTag(0x0028, (ushort)(0x1101 + colour)), DicomVR.US, (ushort)2, (ushort)0, (ushort)16);
            ds.AddOrUpdate(new DicomTag(0x0028, (ushort)(0x1201 + colour)), DicomVR.OW, values);
        }
        var lut = PaletteColorLut.FromDataset(ds, pixelSigned: false);
        Assert.Equal(((byte)0, (byte)128, (byte)1), lut.Lookup(0));
        Assert.Equal(((byte)255, (byte)0, (byte)2), lut.Lookup(1));
        ds.Remove(new DicomTag(0x0028, 0x1202));
        Assert.Throws<RenderingException>(() => PaletteColorLut.FromDataset(ds, false));
    }

    [Fact]
    public void Ybr_full_to_rgb()
    {
        Assert.Equal(((byte)128, (byte)128, (byte)128), ColorConversion.FromYbrFull(128, 128, 128));
        // Pure red in BT.601 full range is about Y 76, Cb 85, Cr 255.
        Assert.Equal(((byte)254, (byte)0, (byte)0), ColorConversion.FromYbrFull(76, 85, 255));
        Assert.Equal(((byte)0, (byte)0, (byte)0), ColorConversion.FromYbrPartial(16, 128, 128));
        Assert.Equal(((byte)255, (byte)255, (byte)255), ColorConversion.FromYbrPartial(235, 128, 128));
    }
}
