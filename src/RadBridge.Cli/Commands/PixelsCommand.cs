using System.CommandLine;
using System.Globalization;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge pixels IN [--sha256]</c>: what the pixel data holds (size, frames, encoding), or with
/// <c>--sha256</c> exactly one line, the pixel hash (SHA-256 of the decoded stored values, see <see cref="PixelHash"/>).
/// </summary>
internal static class PixelsCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "A DICOM file with pixel data" };
        var sha = new Option<bool>("--sha256") { Description = "Print only the SHA-256 of the decoded pixel values (lower-case hex)" };
        var command = new Command("pixels", "Describe a file's pixel data, or print its pixel hash") { input, sha };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(input)!;
            return CliErrors.Guard(path, () =>
            {
                var pixels = DicomPixelData.Create(DicomFile.Open(path));
                if (parse.GetValue(sha))
                {
                    Console.Out.WriteLine(PixelHash.Compute(pixels));
                    return 0;
                }
                var i = pixels.Info;
                var inv = CultureInfo.InvariantCulture;
                Console.Out.WriteLine(string.Create(inv, $"{i.Columns}x{i.Rows}, {pixels.FrameCount} frame(s), {i.SamplesPerPixel} sample(s) per pixel, {i.PhotometricInterpretation}"));
                Console.Out.WriteLine(string.Create(inv, $"bits allocated {i.BitsAllocated}, stored {i.BitsStored}, high bit {i.HighBit}, {(i.IsFloat ? "float" : i.IsSigned ? "signed" : "unsigned")}{(i.SamplesPerPixel > 1 ? $", planar configuration {i.PlanarConfiguration}" : "")}"));
                Console.Out.WriteLine(string.Create(inv, $"{pixels.TransferSyntax}, {(pixels.IsEncapsulated ? "encapsulated" : "native")}, {pixels.DecodedFrameLength} bytes per decoded frame"));
                return 0;
            });
        });
        return command;
    }
}
