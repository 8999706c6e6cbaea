using System.CommandLine;
using System.Globalization;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Rendering;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge render IN OUT.png|OUT.jpg [--frame N] [--window C,W|PRESET|minmax] [--size WxH]</c>: one frame to a
/// display image through the Modality, VOI and presentation LUTs.
/// </summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "DICOM file" };
        var output = new Argument<string>("OUT") { Description = "Image to write: .png or .jpg/.jpeg" };
        var frame = new Option<int>("--frame") { Description = "Frame number, 1-based", DefaultValueFactory = _ => 1 };
        var window = new Option<string?>("--window")
        {
            Description = "Window as CENTER,WIDTH, a preset (" + string.Join(", ", WindowPresets.Names) +
                          "), 'minmax' or 'histogram'; default: the file's first window, else its VOI LUT, else the 0.5–99.5 percentile range",
        };
        var voi = new Option<int>("--voi") { Description = "Which of the file's windows or VOI LUTs, 1-based", DefaultValueFactory = _ => 1 };
        var size = new Option<string?>("--size") { Description = "Fit inside WIDTHxHEIGHT keeping the aspect ratio, e.g. 128x128" };
        var quality = new Option<int>("--quality") { Description = "JPEG quality 1–100", DefaultValueFactory = _ => 90 };
        var bits16 = new Option<bool>("--16bit") { Description = "16-bit grey PNG (grey images only)" };
        var noOverlays = new Option<bool>("--no-overlays") { Description = "Do not burn in overlay planes" };
        // For bench/render.sh: the whole job (open, decode, render, encode, write) N times in one process.
        var repeat = new Option<int>("--repeat") { Hidden = true, DefaultValueFactory = _ => 1 };
        var command = new Command("render", "Render one frame of a DICOM image to PNG or JPEG (modality LUT, window/VOI LUT, palette, overlays)")
        {
            input, output, frame, window, voi, size, quality, bits16, noOverlays, repeat,
        };
        command.SetAction(parse =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(output)!;
            return CliErrors.Guard(inPath, () =>
            {
                var ext = Path.GetExtension(outPath).ToLowerInvariant();
                var jpeg = ext is ".jpg" or ".jpeg";
                if (!jpeg && ext != ".png") throw new RenderingException($"output {outPath}: the name must end in .png, .jpg or .jpeg");
                var options = new RenderOptions
                {
                    VoiIndex = parse.GetValue(voi) - 1,
                    BurnOverlays = !parse.GetValue(noOverlays),
                    GreyBits = parse.GetValue(bits16) ? 16 : 8,
                };
                if (options.VoiIndex < 0) throw new RenderingException("--voi must be at least 1");
                if (jpeg && options.GreyBits == 16) throw new RenderingException("--16bit needs PNG output");
                options = ApplyWindow(options, parse.GetValue(window));
                if (parse.GetValue(size) is { } s) options = options with { FitInto = ParseSize(s) };

                var times = Math.Max(1, parse.GetValue(repeat));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (var i = 0; i < times; i++)
                {
                    var file = DicomFile.Open(inPath);
                    var pixelData = DicomPixelData.Create(file);
                    var image = DicomImageRenderer.RenderFrame(pixelData, file.Dataset, parse.GetValue(frame) - 1, options);
                    var bytes = jpeg ? TurboJpegEncoder.Encode(image, parse.GetValue(quality)) : PngWriter.Encode(image);
                    File.WriteAllBytes(outPath, bytes);
                }
                if (times > 1)
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{times} renders in {clock.Elapsed.TotalMilliseconds:F1} ms, {clock.Elapsed.TotalMilliseconds / times:F3} ms each"));
                return 0;
            });
        });
        return command;
    }

    private static RenderOptions ApplyWindow(RenderOptions options, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return options;
        if (text.Equals("minmax", StringComparison.OrdinalIgnoreCase)) return options with { VoiSource = VoiSource.MinMax };
        if (text.Equals("histogram", StringComparison.OrdinalIgnoreCase)) return options with { VoiSource = VoiSource.Histogram };
        if (WindowPresets.TryGet(text, out var preset)) return options with { Window = preset };
        var parts = text.Split(',');
        if (parts.Length == 2 &&
            double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) &&
            double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var w))
            return options with { Window = new WindowLevel(c, w) };
        throw new RenderingException($"--window {text}: expected CENTER,WIDTH (e.g. 40,400), a preset, 'minmax' or 'histogram'");
    }

    private static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && w is > 0 and <= 16384 && h is > 0 and <= 16384)
            return (w, h);
        throw new RenderingException($"--size {text}: expected WIDTHxHEIGHT between 1 and 16384, e.g. 128x128");
    }
}
