using System.CommandLine;
using System.Globalization;
using RadBridge.Archive;
using RadBridge.Archive.Audit;
using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge audit verify|export --data DIR</c>: checks the archive's hash-chained audit log end to end, or writes it
/// out as DICOM audit messages (PS3.15 A.5) or JSON Lines. Both read the log only, so they run beside a live server.
/// </summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Verify or export the archive's hash-chained audit log")
    {
        CreateVerify(),
        CreateExport(),
    };

    private static Option<string> DataOption() =>
        new("--data") { Description = "The archive's data directory (default: $RADBRIDGE_DATA, else ./data)" };

    private static Command CreateVerify()
    {
        var data = DataOption();
        var command = new Command("verify", "Check every record of the audit log: its hash, its sequence number and its link to the record before; exit 1 at the first broken one")
        {
            data,
        };
        command.SetAction(parse =>
        {
            try
            {
                var location = Locate(parse.GetValue(data));
                var result = AuditLogVerifier.Verify(location.AuditDirectory);
                if (result.Break is { } broken)
                {
                    Console.Error.WriteLine($"error: {broken} ({result.Count} records before it are intact)");
                    return CliErrors.Failure;
                }
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"audit log intact: {result.Count} records (last hash {result.LastHash})"));
                return 0;
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                CliErrors.Report("audit verify", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }

    private static Command CreateExport()
    {
        var data = DataOption();
        var output = new Option<string>("--out", "-o") { Description = "Write to this file instead of standard output" };
        var format = new Option<string>("--format") { Description = "dicom-xml (PS3.15 A.5 audit messages) or jsonl (the records as stored)", DefaultValueFactory = _ => "dicom-xml" };
        var from = new Option<string>("--from") { Description = "Only events at or after this UTC date (YYYY-MM-DD) or time (ISO 8601)" };
        var to = new Option<string>("--to") { Description = "Only events up to this UTC date (inclusive) or before this time (ISO 8601)" };
        var study = new Option<string>("--study") { Description = "Only events about this Study Instance UID" };
        var actor = new Option<string>("--actor") { Description = "Only events by this user or AE" };
        var site = new Option<string>("--site") { Description = "AuditEnterpriseSiteID to put in the DICOM audit messages" };
        var command = new Command("export", "Write the audit log as DICOM audit messages (PS3.15 A.5 XML) or JSON Lines, optionally for a date range, a study or an actor")
        {
            data, output, format, from, to, study, actor, site,
        };
        command.SetAction(async (parse, ct) =>
        {
            var formatName = parse.GetValue(format);
            AuditExportFormat? chosen = formatName switch
            {
                "dicom-xml" => AuditExportFormat.DicomXml,
                "jsonl" => AuditExportFormat.JsonLines,
                _ => null,
            };
            if (chosen is null)
            {
                CliErrors.Report("audit export", $"--format must be dicom-xml or jsonl, not '{formatName}'");
                return CliErrors.Failure;
            }
            if (!TryParseTime(parse.GetValue(from), endOfDay: false, out var since, out var problem)
                || !TryParseTime(parse.GetValue(to), endOfDay: true, out var until, out problem))
            {
                CliErrors.Report("audit export", problem!);
                return CliErrors.Failure;
            }
            var outPath = parse.GetValue(output);
            try
            {
                var location = Locate(parse.GetValue(data));
                var filter = new AuditLogFilter { From = since, To = until, StudyInstanceUid = parse.GetValue(study), Actor = parse.GetValue(actor) };
                var records = new AuditLogReader(location).ReadAllAsync(filter, ct);
                var options = new AuditExportOptions { EnterpriseSiteId = parse.GetValue(site) };
                long count;
                if (outPath is null)
                {
                    using var stdout = Console.OpenStandardOutput();
                    count = await AuditLogExporter.ExportAsync(records, stdout, chosen.Value, options, ct).ConfigureAwait(false);
                }
                else
                {
                    var file = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.None);
                    await using (file.ConfigureAwait(false))
                    {
                        count = await AuditLogExporter.ExportAsync(records, file, chosen.Value, options, ct).ConfigureAwait(false);
                    }
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported {count} audit records to {outPath}"));
                }
                return 0;
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                CliErrors.Report("audit export", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }

    private static ArchiveLocation Locate(string? given)
    {
        var location = new ArchiveLocation(ArchiveLocation.DefaultDataDirectory(given));
        if (!Directory.Exists(location.DataDirectory)) throw new DirectoryNotFoundException($"no data directory at {location.DataDirectory}");
        return location;
    }

    // A date alone means the whole UTC day: --from its start, --to its end (so --from D --to D is that one day).
    private static bool TryParseTime(string? text, bool endOfDay, out DateTimeOffset? time, out string? problem)
    {
        time = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            time = endOfDay ? start.AddDays(1) : start;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact))
        {
            time = exact;
            return true;
        }
        problem = $"'{text}' is not a date (YYYY-MM-DD) or an ISO 8601 time";
        return false;
    }
}
