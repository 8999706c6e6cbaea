using System.Buffers.Binary;
using RadBridge.Dicom.Imaging.Rendering;

namespace RadBridge.Dicom.Imaging.Tests.Rendering;

/// <summary>The whole renderer on frames built here, so every output pixel is known.</summary>
public class RendererTests
{
    private static PixelDataInfo Grey16(int rows, int columns, int bitsStored = 16, bool signed = false, string pi = "MONOCHROME2") => new()
    {
        Rows = rows, Columns = columns, SamplesPerPixel = 1, BitsAllocated = 16, BitsStored = bitsStored,
        HighBit = bitsStored - 1, IsSigned = signed, PhotometricInterpretation = pi,
    };

    private static byte[] Frame16(params int[] values)
    {
        var b = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), (ushort)values[i]);
        return b;
    }

    [Fact]
    public void Signed_CT_with_rescale_and_explicit_window()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        ds.AddOrUpdate(DicomTags.RescaleSlope, "1");
        // stored −1000 → −2024 HU (black), 1024 → 0 HU, 1064 → 40 HU (centre), 2000 → 976 HU (white)
        var frame = Frame16(-1000, 1024, 1064, 2000);
        var options = new RenderOptions { Window = new WindowLevel(40, 400) };
        var img = DicomImageRenderer.Render(ds, Grey16(2, 2, signed: true), frame, "MONOCHROME2", 0, options);
        // 0 HU: ((0 − 39.5)/399 + 0.5)·255 = 102.26 → 102; 40 HU: 127.82 → 128
        Assert.Equal(new byte[] { 0, 102, 128, 255 }, img.Pixels);
    }

    [Fact]
    public void Bits_outside_bits_stored_are_ignored_and_sign_extended()
    {
        // 12 bits stored, signed: 0xF800 has overlay junk in the top nibble; its 12 bits 0x800 are −2048.
        var ds = new DicomDataset();
        var frame = Frame16(0xF800, 0x07FF);
        var img = DicomImageRenderer.Render(ds, Grey16(1, 2, bitsStored: 12, signed: true), frame, "MONOCHROME2", 0,
            new RenderOptions { Window = new WindowLevel(0, 4096, VoiLutFunction.LinearExact) });
        Assert.Equal(new byte[] { 0, 255 }, img.Pixels);
    }

    [Fact]
    public void Monochrome1_renders_low_values_white_in_16_bits()
    {
        var frame = Frame16(0, 100, 200, 300);
        var img = DicomImageRenderer.Render(new DicomDataset(), Grey16(2, 2, 10, pi: "MONOCHROME1"), frame, "MONOCHROME1", 0,
            new RenderOptions { VoiSource = VoiSource.MinMax, GreyBits = 16 });
        var px = new ushort[4];
        for (var i = 0; i < 4; i++) px[i] = BinaryPrimitives.ReadUInt16LittleEndian(img.Pixels.AsSpan(i * 2));
        Assert.Equal(new ushort[] { 65535, 43690, 21845, 0 }, px);
    }

    [Fact]
    public void Histogram_window_ignores_outliers_and_padding()
    {
        // 1000 pixels: padding value −2000 ×100, 0..799 once each, one outlier at 30000.
        var values = new List<int>();
        values.AddRange(Enumerable.Repeat(-2000, 100));
        values.AddRange(Enumerable.Range(0, 899).Select(i => i * 800 / 899));
        values.Add(30000);
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0028, 0x0120), DicomVR.SS, (short)-2000);
        var info = Grey16(1, 1000, signed: true);
        var pipeline = DicomImageRenderer.CreateGreyPipeline(ds, info, Frame16([.. values]), "MONOCHROME2", RenderOptions.Default);
        var w = pipeline.Voi.Window!.Value;
        Assert.InRange(w.Center - w.Width / 2, 0, 8);
        Assert.InRange(w.Center + w.Width / 2, 790, 800);
        var minMax = DicomImageRenderer.CreateGreyPipeline(ds, info, Frame16([.. values]), "MONOCHROME2", new RenderOptions { VoiSource = VoiSource.MinMax }).Voi.Window!.Value;
        Assert.Equal((-2000.0, 30000.0), (minMax.Center - minMax.Width / 2, minMax.Center + minMax.Width / 2));
    }

    [Fact]
    public void Data_set_window_is_chosen_by_index_and_missing_ones_are_errors()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.WindowCenter, "100", "200");
        ds.AddOrUpdate(DicomTags.WindowWidth, "10", "20");
        var frame = Frame16(0);
        Assert.Equal(200, DicomImageRenderer.CreateGreyPipeline(ds, Grey16(1, 1), frame, "MONOCHROME2", new RenderOptions { VoiIndex = 1 }).Voi.Window!.Value.Center);
        Assert.Throws<RenderingException>(() => DicomImageRenderer.CreateGreyPipeline(ds, Grey16(1, 1), frame, "MONOCHROME2", new RenderOptions { VoiIndex = 2, VoiSource = VoiSource.Window }));
        Assert.Throws<RenderingException>(() => DicomImageRenderer.CreateGreyPipeline(ds, Grey16(1, 1), frame, "MONOCHROME2", new RenderOptions { VoiSource = VoiSource.LutSequence }));
    }

    [Fact]
    public void Short_frames_and_unknown_photometrics_are_clear_errors()
    {
        var e = Assert.Throws<RenderingException>(() => DicomImageRenderer.Render(new DicomDataset(), Grey16(2, 2), new byte[6], "MONOCHROME2"));
        Assert.Contains("6 bytes", e.Message);
        Assert.Throws<RenderingException>(() => DicomImageRenderer.Render(new DicomDataset(), Grey16(1, 1), new byte[6], "CMYK"));
    }

    [Fact]
    public void Overlay_bits_are_burned_in_white_at_their_origin()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0010), DicomVR.US, (ushort)1);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0011), DicomVR.US, (ushort)2);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0050), DicomVR.SS, (short)2, (short)2);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0100), DicomVR.US, (ushort)1);
        ds.AddOrUpdate(new DicomTag(0x6000, 0x3000), DicomVR.OW, new byte[] { 0b10, 0 }); // second bit set
        var info = new PixelDataInfo { Rows = 3, Columns = 3, SamplesPerPixel = 1, BitsAllocated = 8, BitsStored = 8, HighBit = 7, IsSigned = false, PhotometricInterpretation = "MONOCHROME2" };
        var img = DicomImageRenderer.Render(ds, info, new byte[9], "MONOCHROME2", 0, new RenderOptions { Window = new WindowLevel(128, 256) });
        // Origin (2,2) is 1-based: the overlay's column 1 (second bit) lands on image row 1, column 2.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 255, 0, 0, 0 }, img.Pixels);
        var plain = DicomImageRenderer.Render(ds, info, new byte[9], "MONOCHROME2", 0, new RenderOptions { Window = new WindowLevel(128, 256), BurnOverlays = false });
        Assert.All(plain.Pixels, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Scaling_averages_areas_down_and_keeps_flat_areas_flat_up()
    {
        var src = new RenderedImage(4, 2, 1, 8, [0, 100, 200, 40, 20, 120, 220, 60]);
        var half = ImageScaler.Resize(src, 2, 1);
        Assert.Equal(new byte[] { 60, 130 }, half.Pixels); // (0+100+20+120)/4, (200+40+220+60)/4
        var flat = new RenderedImage(3, 3, 3, 8, Enumerable.Repeat((byte)77, 27).ToArray());
        Assert.All(ImageScaler.Resize(flat, 7, 5).Pixels, p => Assert.Equal(77, p));
        var third = ImageScaler.Resize(new RenderedImage(3, 1, 1, 8, [30, 60, 90]), 2, 1);
        Assert.Equal(new byte[] { 40, 80 }, third.Pixels); // (30 + 60/2)/1.5, (60/2 + 90)/1.5
        Assert.Equal((128, 64), ImageScaler.FitSize(512, 256, 128, 128));
        Assert.Equal((100, 200), ImageScaler.FitSize(10, 20, 300, 200));
    }

    [Fact]
    public void Png_output_reads_back_identically()
    {
        var rng = new Random(7);
        var grey = new byte[37 * 23];
        rng.NextBytes(grey);
        var rgb = new byte[37 * 23 * 3];
        rng.NextBytes(rgb);
        var g16 = new byte[37 * 23 * 2];
        rng.NextBytes(g16);
        foreach (var img in new[] { new RenderedImage(37, 23, 1, 8, grey), new RenderedImage(37, 23, 3, 8, rgb), new RenderedImage(37, 23, 1, 16, g16) })
        {
            var back = TestImages.ReadPng(PngWriter.Encode(img));
            Assert.Equal((img.Width, img.Height, img.Channels), (back.Width, back.Height, back.Channels));
            for (var i = 0; i < back.Samples.Length; i++)
            {
                var expected = img.BitsPerSample == 8 ? img.Pixels[i] : BinaryPrimitives.ReadUInt16LittleEndian(img.Pixels.AsSpan(i * 2));
                Assert.Equal(expected, back.Samples[i]);
            }
        }
    }
}
