using RadBridge.Dicom.Imaging.Rendering;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Imaging.Tests.Rendering;

/// <summary>
/// Renders real samples to PNG, reads the PNG back, and compares it with DCMTK's dcmj2pnm given the same VOI
/// choice: the mean absolute difference must stay within one grey level per sample.
/// </summary>
public class DcmtkRenderingTests
{
    private static (Raster Ours, Raster Dcmtk) Compare(string sample, RenderOptions options, int frame, params string[] dcmtkOptions)
    {
        var path = TestPaths.Sample(sample);
        var file = DicomFile.Open(path);
        var pixelData = DicomPixelData.Create(file);
        var image = DicomImageRenderer.RenderFrame(pixelData, file.Dataset, frame, options);
        var ours = TestImages.ReadPng(PngWriter.Encode(image));
        var dcmtk = TestImages.Dcmj2pnm(path, [.. dcmtkOptions, "+F", (frame + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return (ours, dcmtk);
    }

    [Theory]
    [InlineData("CT_small.dcm", 40, 400)]
    [InlineData("CT_small.dcm", -600, 1500)]
    [InlineData("MR_small.dcm", 300, 700)]
    public void Explicit_window_matches_dcmj2pnm(string sample, double center, double width)
    {
        var (ours, dcmtk) = Compare(sample, new RenderOptions { Window = new WindowLevel(center, width) }, 0,
            "+Ww", center.ToString(System.Globalization.CultureInfo.InvariantCulture), width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(ours.MeanAbsoluteDifference(dcmtk), 0, 1);
    }

    [Theory]
    [InlineData("MR_small.dcm")]
    [InlineData("CR-MONO1-10-chest.dcm")]
    public void First_window_of_the_data_set_matches_dcmj2pnm(string sample)
    {
        var (ours, dcmtk) = Compare(sample, new RenderOptions { VoiSource = VoiSource.Window }, 0, "+Wi", "1");
        Assert.InRange(ours.MeanAbsoluteDifference(dcmtk), 0, 1);
    }

    [Fact]
    public void Monochrome1_is_inverted_like_dcmj2pnm()
    {
        // Against an explicit window too, so the polarity and not the window choice is what is compared.
        var (ours, dcmtk) = Compare("CR-MONO1-10-chest.dcm", new RenderOptions { Window = new WindowLevel(600, 800) }, 0, "+Ww", "600", "800");
        Assert.InRange(ours.MeanAbsoluteDifference(dcmtk), 0, 1);
        Assert.True(ours.Samples.Average() > 64, "a chest radiograph in MONOCHROME1 is mostly bright once inverted");
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    public void Min_max_window_matches_dcmj2pnm(string sample)
    {
        var (ours, dcmtk) = Compare(sample, new RenderOptions { VoiSource = VoiSource.MinMax }, 0, "+Wm");
        Assert.InRange(ours.MeanAbsoluteDifference(dcmtk), 0, 1);
    }

    [Theory]
    [InlineData("US-PAL-8-10x-echo.dcm", 0)]
    [InlineData("US-PAL-8-10x-echo.dcm", 6)]
    [InlineData("OT-PAL-8-face.dcm", 0)]
    [InlineData("SC_rgb.dcm", 0)]
    [InlineData("SC_ybr_full_422_uncompressed.dcm", 0)]
    public void Colour_matches_dcmj2pnm(string sample, int frame)
    {
        var (ours, dcmtk) = Compare(sample, RenderOptions.Default, frame);
        Assert.Equal(3, ours.Channels);
        Assert.InRange(ours.MeanAbsoluteDifference(dcmtk), 0, 1);
    }

    [Fact]
    public void Overlays_are_burned_in_like_dcmj2pnm()
    {
        var (ours, dcmtk) = Compare("examples_overlay.dcm", new RenderOptions { VoiSource = VoiSource.Window }, 0, "+Wi", "1");
        Assert.InRange(ours.MeanAbsoluteDifference(dcmtk), 0, 1);
        var (plain, _) = Compare("examples_overlay.dcm", new RenderOptions { VoiSource = VoiSource.Window, BurnOverlays = false }, 0, "+Wi", "1");
        Assert.True(ours.Samples.Count(s => s == 255) > plain.Samples.Count(s => s == 255) + 100, "the overlay adds white pixels");
    }

    [Fact]
    public void Segmented_palette_matches_pydicom()
    {
        // dcmj2pnm ignores segmented palettes; pydicom's apply_color_lut expands them (16-bit entries).
        var path = TestPaths.Sample("gdcm-US-ALOKA-16.dcm");
        var file = DicomFile.Open(path);
        var ours = DicomImageRenderer.RenderFrame(DicomPixelData.Create(file), file.Dataset);
        var raw = Path.Combine(Path.GetTempPath(), $"radbridge-pal-{Guid.NewGuid():N}.raw");
        try
        {
            var script = "import sys, pydicom\nfrom pydicom.pixel_data_handlers.util import apply_color_lut\n" +
                         "ds = pydicom.dcmread(sys.argv[1])\nrgb = apply_color_lut(ds.pixel_array, ds)\n" +
                         "open(sys.argv[2], 'wb').write(((rgb.astype('float64') * 255 / 65535).round()).astype('uint8').tobytes())\n";
            var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", script, path, raw }) psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000) && p.ExitCode == 0, err);
            var expected = File.ReadAllBytes(raw);
            Assert.Equal(expected.Length, ours.Pixels.Length);
            long sum = 0;
            for (var i = 0; i < expected.Length; i++) sum += Math.Abs(expected[i] - ours.Pixels[i]);
            Assert.InRange((double)sum / expected.Length, 0, 1);
            Assert.True(ours.Pixels.Any(b => b > 100), "the palette gives colour, not black");
        }
        finally
        {
            File.Delete(raw);
        }
    }
}
