using System.CommandLine;
using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge dump FILE... [--json|--xml] [--lenient]</c>: a dcmdump-like tree, or DICOM JSON / XML.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "DICOM files to dump" };
        var lenient = new Option<bool>("--lenient") { Description = "Read up to the damage in a broken file and list what was skipped" };
        var json = new Option<bool>("--json") { Description = "Print the data set as DICOM JSON (PS3.18 Annex F): one object per file, one line each" };
        var xml = new Option<bool>("--xml") { Description = "Print the data set as Native DICOM Model XML (PS3.19 Annex A.1)" };
        var command = new Command("dump", "Print DICOM files as a tree (tag, VR, decoded value, keyword), or as DICOM JSON / Native DICOM Model XML")
        {
            files, json, xml, lenient,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var asXml = parse.GetValue(xml);
            if (asJson && asXml)
            {
                CliErrors.Report("dump", "--json and --xml exclude each other");
                return CliErrors.Failure;
            }
            // Bulk values of 1 KiB or more stay in the file so their BulkDataURI can name offset and length.
            var options = new DicomReadOptions { Lenient = parse.GetValue(lenient), LazyThreshold = asJson || asXml ? BulkThreshold : DicomReadOptions.Default.LazyThreshold };
            var status = 0;
            foreach (var path in parse.GetValue(files) ?? [])
            {
                status = Math.Max(status, CliErrors.Guard(path, () =>
                {
                    var file = DicomFile.Open(path, options);
                    if (asJson) WriteJson(file, path);
                    else if (asXml) WriteXml(file, path);
                    else DicomTreePrinter.Print(Console.Out, file, path);
                    return 0;
                }));
            }
            return status;
        });
        return command;
    }

    private const int BulkThreshold = 1024;

    private static void WriteJson(DicomFile file, string path)
    {
        var options = new DicomJsonOptions { BulkDataThreshold = BulkThreshold, BulkDataUriFactory = r => BulkUri(r, path) };
        using var stdout = Console.OpenStandardOutput();
        var bytes = DicomJson.SerializeToUtf8Bytes(file.Dataset, options);
        stdout.Write(bytes);
        stdout.Write("\n"u8);
    }

    private static void WriteXml(DicomFile file, string path)
    {
        var options = new DicomXmlOptions { BulkDataThreshold = BulkThreshold, BulkDataUriFactory = r => BulkUri(r, path), WriteIndented = true };
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(DicomXml.SerializeToUtf8Bytes(file.Dataset, options));
        stdout.Write("\n"u8);
    }

    /// <summary>
    /// A value still in the file is named by offset and length (readable back by RadBridge); one that is only in
    /// memory (e.g. from a deflated data set) by its attribute path inside the file.
    /// </summary>
    private static string BulkUri(DicomBulkDataReference reference, string path) =>
        DicomBulkData.FileUri(reference)
        ?? new UriBuilder("file", "") { Path = Path.GetFullPath(path), Query = "attribute=" + reference.FormatPath() }.Uri.AbsoluteUri;
}
