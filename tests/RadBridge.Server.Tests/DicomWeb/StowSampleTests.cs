using System.Net;
using System.Text.Json;
using RadBridge.Server.DicomWeb;
using Xunit.Abstractions;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>
/// Every sample of ../shared/dicom-samples through STOW-RS: storable ones come back byte-identical in their data set
/// (found through the index, as WADO-RS finds them); deliberately broken ones ("Odd:") get a clean answer, never a 500.
/// </summary>
public sealed class StowSampleTests(KeepNewestStowServer fixture, ITestOutputHelper output) : IClassFixture<KeepNewestStowServer>
{
    private static IEnumerable<(string File, string Exercises)> Manifest() =>
        File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(c => c.Length >= 6 && c[0].EndsWith(".dcm", StringComparison.Ordinal))
            .Select(c => (c[0], c[5]));

    private static bool IsOdd((string File, string Exercises) s) => s.Exercises.StartsWith("Odd:", StringComparison.Ordinal);

    private static bool IsDirectory((string File, string Exercises) s) => s.File.StartsWith("DICOMDIR", StringComparison.Ordinal);

    /// <summary>
    /// An instance the archive can index: the independent toolkits' ground truth (expected/&lt;name&gt;.json) has its SOP
    /// Class, SOP Instance, Study and Series Instance UIDs. Several library test files have them stripped.
    /// </summary>
    private static bool HasIdentifyingUids((string File, string Exercises) s)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(s.File, ".json"))));
        return new[] { "sop_class_uid", "sop_instance_uid", "study_instance_uid", "series_instance_uid" }
            .All(k => expected.RootElement.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String);
    }

    private static string ExpectedSopInstanceUid(string file)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(file, ".json"))));
        return expected.RootElement.GetProperty("sop_instance_uid").GetString()!;
    }

    private static List<(string File, string Exercises)> Storable() => [.. Manifest().Where(s => !IsOdd(s) && !IsDirectory(s) && HasIdentifyingUids(s))];

    [Fact]
    public async Task Every_storable_sample_is_stored_with_its_data_set_byte_identical()
    {
        using var http = fixture.TechnologistA();
        var samples = Storable();
        Assert.True(samples.Count > 60, $"only {samples.Count} samples");
        var failures = new List<string>();
        foreach (var (file, _) in samples)
        {
            var bytes = await File.ReadAllBytesAsync(TestPaths.Sample(file));
            var answer = await StowClient.StoreAsync(http, bytes);
            if (answer.Status != HttpStatusCode.OK || answer.Referenced.Count != 1)
            {
                failures.Add($"{file}: {answer}");
                continue;
            }
            var sop = answer.Referenced[0].GetString(DicomTags.ReferencedSOPInstanceUID)!;
            if (sop != ExpectedSopInstanceUid(file)) failures.Add($"{file}: referenced as {sop}");
            var stored = await StowClient.FindStoredAsync(fixture.Server.Location, sop);
            if (stored is null)
            {
                failures.Add($"{file}: {sop} is not in the index");
                continue;
            }
            var storedBytes = await File.ReadAllBytesAsync(stored.Value.Path);
            // A bare data set (no File Meta) is stored with File Meta added: the data set itself is unchanged.
            if (StowClient.DataSetOffset(storedBytes) == 0) failures.Add($"{file}: stored without File Meta");
            if (!StowClient.DataSetBytes(storedBytes).AsSpan().SequenceEqual(StowClient.DataSetBytes(bytes)))
            {
                failures.Add($"{file}: the stored data set differs ({storedBytes.Length} bytes stored, {bytes.Length} sent)");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Broken_samples_and_the_dicomdir_get_a_clean_answer_never_a_server_error()
    {
        using var http = fixture.TechnologistA();
        var odd = Manifest().Where(s => IsOdd(s) || IsDirectory(s)).ToList();
        Assert.True(odd.Count >= 10, $"only {odd.Count} odd samples");
        foreach (var (file, _) in odd)
        {
            var answer = await StowClient.StoreAsync(http, await File.ReadAllBytesAsync(TestPaths.Sample(file)));
            output.WriteLine($"{file}: {(int)answer.Status} {string.Join(" | ", answer.Warnings)}");
            Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{file}: {answer}");
            Assert.Equal("application/dicom+json", answer.MediaType);
            if (answer.Status != HttpStatusCode.OK)
            {
                Assert.Single(answer.AllFailureReasons);
                Assert.NotEmpty(answer.Warnings);
            }
        }
        // Files cut short are not archived (their header alone would look fine).
        foreach (var truncated in new[] { "MR_truncated.dcm", "3gb-bulk-data-truncated.dcm" })
        {
            var answer = await StowClient.StoreAsync(http, await File.ReadAllBytesAsync(TestPaths.Sample(truncated)));
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{truncated}: {answer}");
        }
        // A DICOMDIR is not an instance to archive.
        var dicomdir = await StowClient.StoreAsync(http, await File.ReadAllBytesAsync(TestPaths.Sample("DICOMDIR.dcm")));
        Assert.NotEqual(HttpStatusCode.OK, dicomdir.Status);
        await StowClient.AssertStillServingAsync(fixture.Server);
    }

    [Fact]
    public async Task Samples_without_identifying_uids_are_refused_naming_the_missing_attribute()
    {
        using var http = fixture.TechnologistA();
        var unidentified = Manifest().Where(s => !IsOdd(s) && !IsDirectory(s) && !HasIdentifyingUids(s)).ToList();
        Assert.NotEmpty(unidentified);
        foreach (var (file, _) in unidentified)
        {
            var answer = await StowClient.StoreAsync(http, await File.ReadAllBytesAsync(TestPaths.Sample(file)));
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{file}: {answer}");
            Assert.Equal(StowFailureReasons.CannotUnderstand, Assert.Single(answer.AllFailureReasons));
            Assert.Contains(answer.Warnings, w => w.Contains("is missing", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task All_storable_samples_in_one_request_are_stored()
    {
        using var http = fixture.TechnologistA();
        // One instance per SOP Instance UID: several samples are versions of one instance in other transfer syntaxes.
        var bySop = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (file, _) in Storable())
        {
            bySop.TryAdd(ExpectedSopInstanceUid(file), await File.ReadAllBytesAsync(TestPaths.Sample(file)));
        }
        var answer = await StowClient.StoreAsync(http, [.. bySop.Values]);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(bySop.Keys.Order(StringComparer.Ordinal), answer.Referenced.Select(r => r.GetString(DicomTags.ReferencedSOPInstanceUID)!).Order(StringComparer.Ordinal));
    }
}
