using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge transcode IN OUT --ts UID [--quality Q]</c>: re-encode a file, or every file of a folder (recursive,
/// same layout), in another transfer syntax with the codecs of <see cref="PixelCodecRegistry.Default"/>.
/// </summary>
internal static class TranscodeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "A DICOM file or a folder of them" };
        var output = new Argument<string>("OUT") { Description = "Output file, or folder (created) for a folder input" };
        var ts = new Option<string>("--ts") { Description = "Target transfer syntax: UID (e.g. 1.2.840.10008.1.2.5) or keyword (e.g. RLELossless)", Required = true };
        var quality = new Option<int?>("--quality") { Description = "Quality 1-100 for lossy JPEG (default 90)" };
        var command = new Command("transcode", "Re-encode DICOM files in another transfer syntax") { input, output, ts, quality };
        command.SetAction(parse =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(output)!;
            if (!TryResolve(parse.GetValue(ts)!, out var target))
            {
                CliErrors.Report("transcode", $"unknown transfer syntax '{parse.GetValue(ts)}'");
                return CliErrors.Failure;
            }
            var options = PixelEncodeOptions.Default;
            if (parse.GetValue(quality) is { } q)
            {
                if (q is < 1 or > 100)
                {
                    CliErrors.Report("transcode", "--quality must be 1 to 100");
                    return CliErrors.Failure;
                }
                options = options with { Quality = q };
            }
            var transcoder = new DicomTranscoder();
            return CliErrors.Guard(inPath, () =>
            {
                if (File.Exists(inPath))
                {
                    TranscodeFile(transcoder, inPath, outPath, target, options);
                    Console.Out.WriteLine($"{inPath} -> {outPath}: {target}");
                    return 0;
                }
                if (!Directory.Exists(inPath)) throw new IOException($"{inPath} is neither a file nor a folder");
                return TranscodeFolder(transcoder, inPath, outPath, target, options);
            });
        });
        return command;
    }

    private static void TranscodeFile(DicomTranscoder transcoder, string inPath, string outPath, DicomTransferSyntax target, PixelEncodeOptions options)
    {
        var result = transcoder.Transcode(DicomFile.Open(inPath), target, options);
        var dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        result.Save(outPath);
    }

    private static int TranscodeFolder(DicomTranscoder transcoder, string inDir, string outDir, DicomTransferSyntax target, PixelEncodeOptions options)
    {
        var files = Directory.EnumerateFiles(inDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        int done = 0, failed = 0;
        CliProgress.Run("transcode", files, file =>
        {
            try
            {
                TranscodeFile(transcoder, file, Path.Combine(outDir, Path.GetRelativePath(inDir, file)), target, options);
                done++;
            }
            catch (DicomException ex)
            {
                failed++;
                Console.Error.WriteLine($"skipped: {file}: {ex.Message.ReplaceLineEndings(" ")}");
            }
        });
        Console.Out.WriteLine($"{done} files transcoded to {target} into {outDir}, {failed} skipped");
        if (failed == 0) return 0;
        CliErrors.Report("transcode", $"{failed} of {files.Count} files could not be transcoded");
        return CliErrors.Failure;
    }

    private static bool TryResolve(string text, out DicomTransferSyntax syntax)
    {
        syntax = DicomTransferSyntax.All.FirstOrDefault(t => t.Uid == text || string.Equals(t.Keyword, text, StringComparison.OrdinalIgnoreCase))!;
        return syntax is not null;
    }
}
