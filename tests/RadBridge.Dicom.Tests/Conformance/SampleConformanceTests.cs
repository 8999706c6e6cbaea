using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Every file of the shared sample corpus read by our reader and compared with its sidecar expected/&lt;name&gt;.json
/// (values read by pydicom 2.3.1 and DCMTK 3.6.7). Files the manifest marks "Odd:" are either rejected with a
/// <see cref="DicomReadException"/> naming the problem and its offset, then read leniently with warnings, or read
/// and compared like the others; never another exception, never slowly.
/// </summary>
public partial class SampleConformanceTests
{
    private static readonly TimeSpan OddFileBudget = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Samples() => new(SampleCorpus.Files.Select(f => Path.GetFileName(f)));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_reads_as_its_sidecar_says(string name)
    {
        var path = TestPaths.Sample(name);
        var expected = ExpectedSample.Load(name);
        if (SampleCorpus.IsOdd(path))
        {
            CheckOddFile(path, expected);
            return;
        }
        var file = DicomFile.Open(path);
        Assert.True(file.IsComplete, $"{name}: read stopped early");
        var failures = SidecarComparison.Differences(file, expected);
        Assert.True(failures.Count == 0, $"{name}:\n  " + string.Join("\n  ", failures));
    }

    private static void CheckOddFile(string path, ExpectedSample expected)
    {
        var name = expected.FileName;
        var clock = Stopwatch.StartNew();
        DicomFile? file = null;
        DicomReadException? rejection = null;
        try
        {
            file = DicomFile.Open(path);
        }
        catch (DicomReadException ex)
        {
            rejection = ex;
        }
        Assert.True(clock.Elapsed < OddFileBudget, $"{name}: strict read took {clock.Elapsed}");

        if (file is not null)
        {
            // Read although odd: it must then agree with the sidecar like any other file.
            var failures = SidecarComparison.Differences(file, expected);
            Assert.True(failures.Count == 0, $"{name} (odd, but read):\n  " + string.Join("\n  ", failures));
            return;
        }

        // Rejected: the message names the problem and where it is.
        Assert.Matches(OffsetInMessage(), rejection!.Message);
        Assert.True(rejection.Offset >= 0, $"{name}: the exception carries no offset: {rejection.Message}");

        // Lenient reading keeps what comes before the damage and says what it skipped.
        clock.Restart();
        var lenient = DicomFile.Open(path, new DicomReadOptions { Lenient = true });
        Assert.True(clock.Elapsed < OddFileBudget, $"{name}: lenient read took {clock.Elapsed}");
        Assert.False(lenient.IsComplete);
        Assert.Contains(lenient.Warnings, w => w.Contains(rejection.Message, StringComparison.Ordinal));

        // What was kept agrees with the sidecar: the elements read are the sidecar's first ones, except that the
        // element at the damage itself may be missing (it could not be read) or be the last one kept.
        var partial = SidecarComparison.TopLevelDifferences(lenient.Dataset, expected, prefixOnly: true);
        Assert.True(partial.Count == 0, $"{name} (lenient):\n  " + string.Join("\n  ", partial));
    }

    [GeneratedRegex(@"offset \d+")]
    private static partial Regex OffsetInMessage();
}

/// <summary>Compares what our reader made of a file with the sidecar's facts; one line per difference.</summary>
internal static class SidecarComparison
{
    private static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    private static readonly (string Property, DicomTag Tag)[] TextAttributes =
    [
        ("sop_class_uid", DicomTags.SOPClassUID),
        ("sop_instance_uid", DicomTags.SOPInstanceUID),
        ("study_instance_uid", DicomTags.StudyInstanceUID),
        ("series_instance_uid", DicomTags.SeriesInstanceUID),
        ("modality", DicomTags.Modality),
        ("patient_id", DicomTags.PatientID),
        ("study_date", DicomTags.StudyDate),
        ("accession_number", DicomTags.AccessionNumber),
        ("study_description", DicomTags.StudyDescription),
    ];

    public static List<string> Differences(DicomFile file, ExpectedSample expected)
    {
        var failures = new List<string>();
        var ds = file.Dataset;

        Check(failures, "has_file_meta", expected.HasFileMeta, file.FileMetaInformation.Count > 0);
        var tsUid = file.FileMetaInformation.GetString(TransferSyntaxUid);
        Check(failures, "transfer_syntax_uid", expected.TransferSyntaxUid, string.IsNullOrEmpty(tsUid) ? null : tsUid);

        // The encoding the data set was read in. When the generator could only read a re-encoded copy, the sidecar
        // describes the copy; the file's own transfer syntax then says what to expect.
        var (little, isImplicit) = expected.DescribesReencodedCopy
            ? (DicomTransferSyntax.Lookup(expected.TransferSyntaxUid!).IsLittleEndian, !DicomTransferSyntax.Lookup(expected.TransferSyntaxUid!).IsExplicitVR)
            : (expected.LittleEndian, expected.ImplicitVR);
        Check(failures, "little_endian", little, file.TransferSyntax.IsLittleEndian);
        Check(failures, "implicit_vr", isImplicit, !file.TransferSyntax.IsExplicitVR);

        foreach (var (property, tag) in TextAttributes)
            Check(failures, property, expected.StringOrNull(property), ds.Contains(tag) ? ds.GetString(tag) : null);

        var charset = expected.SpecificCharacterSet;
        var ourCharset = ds.Contains(DicomTags.SpecificCharacterSet) ? ds.GetStrings(DicomTags.SpecificCharacterSet) : null;
        Check(failures, "specific_character_set", Show(charset), Show(ourCharset));

        CheckPatientName(failures, ds, expected);
        failures.AddRange(TopLevelDifferences(ds, expected, prefixOnly: false));
        CheckImage(failures, ds, expected);
        return failures;
    }

    private static void CheckPatientName(List<string> failures, DicomDataset ds, ExpectedSample expected)
    {
        if (expected.PatientName is not { } pn)
        {
            if (ds.Contains(DicomTags.PatientName)) failures.Add("patient_name: the sidecar has none, we read one");
            return;
        }
        if (!ds.Contains(DicomTags.PatientName))
        {
            failures.Add("patient_name: missing");
            return;
        }
        // Decoding must never throw, whatever the bytes.
        var decoded = ds.GetString(DicomTags.PatientName);
        if (pn.GetProperty("expected") is { ValueKind: JsonValueKind.String } value)
            Check(failures, "patient_name", value.GetString(), decoded);
        // expected null: the stored bytes are invalid in their character set; only "no crash" is required.
    }

    /// <summary>
    /// Top-level tags, VRs and item counts against the sidecar. With <paramref name="prefixOnly"/> (a lenient
    /// read that stopped at damage) ours must be the sidecar's first elements; the last one may differ in VR or
    /// item count (it is the element the damage was in).
    /// </summary>
    public static List<string> TopLevelDifferences(DicomDataset ds, ExpectedSample expected, bool prefixOnly)
    {
        var failures = new List<string>();
        var want = expected.TopLevelElements;
        var elements = ds.ToList();
        var have = elements.Select(e => (Tag: Hex(e.Tag), VR: e.VR.Code(), Items: e is DicomSequence s ? (int?)s.Items.Count : null)).ToList();
        if (prefixOnly ? have.Count > want.Count : have.Count != want.Count)
            failures.Add($"top_level_elements: {want.Count} expected, {have.Count} read");
        for (var i = 0; i < Math.Min(want.Count, have.Count); i++)
        {
            var (tag, vr, items) = want[i];
            var last = prefixOnly && i == have.Count - 1;
            if (tag != have[i].Tag)
            {
                failures.Add($"top_level_elements[{i}]: expected ({tag}) {vr}, read ({have[i].Tag}) {have[i].VR}");
                break;
            }
            if (last) continue;
            if (vr != have[i].VR && !SampleExceptions.AcceptsVR(ds, !expected.ImplicitVR, elements[i].Tag, vr, have[i].VR))
                failures.Add($"({tag}): VR {vr} expected, {have[i].VR} read");
            if (items != have[i].Items)
                failures.Add($"({tag}): {items?.ToString(CultureInfo.InvariantCulture) ?? "no"} items expected, {have[i].Items?.ToString(CultureInfo.InvariantCulture) ?? "no"} read");
        }
        return failures;
    }

    private static void CheckImage(List<string> failures, DicomDataset ds, ExpectedSample expected)
    {
        foreach (var (keyword, value) in expected.Image)
        {
            var tag = DicomDictionary.Default.Find(keyword)?.Tag ?? throw new InvalidOperationException($"no keyword {keyword}");
            string want, have;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    want = value.GetString()!;
                    have = ds.GetString(tag) ?? "(absent)";
                    break;
                case JsonValueKind.Array:
                    want = string.Join('\\', value.EnumerateArray().Select(Number));
                    have = string.Join('\\', ds.GetValues<double>(tag).Select(Number));
                    break;
                default:
                    want = Number(value);
                    have = string.Join('\\', ds.GetValues<double>(tag).Select(Number));
                    break;
            }
            Check(failures, "image." + keyword, want, have);
        }
    }

    private static string Number(JsonElement e) => Number(e.GetDouble());
    private static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static string Hex(DicomTag t) => t.Value.ToString("X8", CultureInfo.InvariantCulture);

    private static string? Show(IReadOnlyList<string>? values) => values is null ? null : "[" + string.Join("|", values) + "]";

    private static void Check<T>(List<string> failures, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            failures.Add($"{what}: expected {Quote(expected)}, read {Quote(actual)}");
    }

    private static string Quote<T>(T value) => value is null ? "null" : $"'{value}'";
}
