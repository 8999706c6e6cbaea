using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Deidentification;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge anonymize IN OUT [--option …]</c>: the PS3.15 Annex E Basic Application Level Confidentiality Profile
/// with its options, for a file or a folder (recursive, same layout; one UID mapping for the whole run).
/// </summary>
internal static class AnonymizeCommand
{
    private static readonly Dictionary<string, Func<DeidentificationOptions, DeidentificationOptions>> ProfileOptions = new(StringComparer.Ordinal)
    {
        ["retain-safe-private"] = o => o with { RetainSafePrivate = true },
        ["retain-uids"] = o => o with { RetainUids = true },
        ["retain-device-identity"] = o => o with { RetainDeviceIdentity = true },
        ["retain-institution-identity"] = o => o with { RetainInstitutionIdentity = true },
        ["retain-patient-characteristics"] = o => o with { RetainPatientCharacteristics = true },
        ["retain-longitudinal-full-dates"] = o => o with { RetainLongitudinalFullDates = true },
        ["retain-longitudinal-modified-dates"] = o => o with { RetainLongitudinalModifiedDates = true },
        ["clean-descriptors"] = o => o with { CleanDescriptors = true },
        ["clean-structured-content"] = o => o with { CleanStructuredContent = true },
        ["clean-graphics"] = o => o with { CleanGraphics = true },
    };

    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "A DICOM file or a folder of them" };
        var output = new Argument<string>("OUT") { Description = "Output file, or folder (created) for a folder input" };
        var option = new Option<string[]>("--option", "-o")
        {
            Description = "Profile option (repeatable): " + string.Join(", ", ProfileOptions.Keys),
            AllowMultipleArgumentsPerToken = false,
        };
        var secret = new Option<string?>("--secret-env") { Description = "Name of an environment variable holding a secret: UIDs and date shifts become reproducible across runs" };
        var shift = new Option<int?>("--date-shift") { Description = "Shift dates by this many days (with retain-longitudinal-modified-dates)" };
        var name = new Option<string?>("--patient-name") { Description = "Replacement Patient's Name (default ANONYMOUS)" };
        var id = new Option<string?>("--patient-id") { Description = "Replacement Patient ID (default: a pseudonym)" };
        var command = new Command("anonymize", "De-identify DICOM files with the PS3.15 Annex E Basic Application Level Confidentiality Profile")
        {
            input, output, option, secret, shift, name, id,
        };
        command.SetAction(parse =>
        {
            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(output)!;
            var options = DeidentificationOptions.Basic;
            foreach (var o in parse.GetValue(option) ?? [])
            {
                if (!ProfileOptions.TryGetValue(o, out var apply))
                {
                    CliErrors.Report("anonymize", $"unknown option '{o}'; known: {string.Join(", ", ProfileOptions.Keys)}");
                    return CliErrors.Failure;
                }
                options = apply(options);
            }
            if (parse.GetValue(secret) is { } envName)
            {
                var value = Environment.GetEnvironmentVariable(envName);
                if (string.IsNullOrEmpty(value))
                {
                    CliErrors.Report("anonymize", $"environment variable {envName} is not set");
                    return CliErrors.Failure;
                }
                options = options with { Secret = value };
            }
            if (parse.GetValue(shift) is { } days) options = options with { DateShiftDays = days };
            if (parse.GetValue(name) is { } pn) options = options with { PatientName = pn };
            if (parse.GetValue(id) is { } pid) options = options with { PatientId = pid };

            return CliErrors.Guard(inPath, () =>
            {
                options.Validate();
                var deidentifier = new DicomDeidentifier(options);
                if (File.Exists(inPath))
                {
                    var r = deidentifier.DeidentifyFile(inPath, outPath);
                    Console.Out.WriteLine($"{inPath} -> {outPath}: {r.Result.Removed} removed, {r.Result.Changed} changed, {r.Result.UidsReplaced} UIDs replaced");
                    return 0;
                }
                if (!Directory.Exists(inPath)) throw new IOException($"{inPath} is neither a file nor a folder");
                return AnonymizeFolder(deidentifier, inPath, outPath);
            });
        });
        return command;
    }

    private static int AnonymizeFolder(DicomDeidentifier deidentifier, string inDir, string outDir)
    {
        var files = Directory.EnumerateFiles(inDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        int done = 0, skipped = 0, removed = 0, changed = 0;
        CliProgress.Run("anonymize", files, file =>
        {
            var target = Path.Combine(outDir, Path.GetRelativePath(inDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                var r = deidentifier.DeidentifyFile(file, target);
                done++;
                removed += r.Result.Removed;
                changed += r.Result.Changed;
            }
            catch (DicomException ex)
            {
                skipped++;
                Console.Error.WriteLine($"skipped: {file}: {ex.Message.ReplaceLineEndings(" ")}");
            }
        });
        Console.Out.WriteLine($"{done} files de-identified into {outDir}, {skipped} skipped; {removed} attributes removed, {changed} changed, {deidentifier.UidMapper.Count} UIDs mapped");
        return skipped > 0 && done == 0 ? CliErrors.Failure : 0;
    }
}
