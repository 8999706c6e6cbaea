using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RadBridge.Server.DicomWeb;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>STOW-RS of <c>application/dicom+json</c>: metadata plus bulk data parts, and inline binary.</summary>
public sealed class StowJsonTests(StowServer fixture) : IClassFixture<StowServer>
{
    private ServerProcess Server => fixture.Server;

    /// <summary>A JSON request body: the data sets, then one part per bulk value their BulkDataURIs name.</summary>
    private static byte[] JsonBody(IReadOnlyList<DicomDataset> datasets, out int bulkParts, Func<string, string?>? partContentType = null)
    {
        var bulk = new List<(string Uri, byte[] Bytes)>();
        var options = new DicomJsonOptions
        {
            BulkDataThreshold = 256,
            BulkDataUriFactory = r =>
            {
                if (r.Element is not DicomValueElement v) return null;
                var uri = $"http://client.example/bulk/{bulk.Count}/{r.FormatPath()}";
                bulk.Add((uri, v.Buffer.GetMemory().ToArray()));
                return uri;
            },
        };
        var json = Encoding.UTF8.GetBytes(DicomJson.Serialize(datasets, options));
        bulkParts = bulk.Count;
        return StowClient.Body([(json, "application/dicom+json", null), .. bulk.Select(b => (b.Bytes, partContentType?.Invoke(b.Uri) ?? "application/octet-stream", (string?)b.Uri))]);
    }

    [Fact]
    public async Task A_sample_sent_as_dicom_json_with_bulk_data_is_stored_as_the_same_instance()
    {
        using var http = fixture.TechnologistA();
        var original = DicomFile.Open(TestPaths.Sample("CT_small.dcm"));
        var body = JsonBody([original.Dataset], out var bulkParts);
        Assert.True(bulkParts >= 1);

        var answer = await StowClient.PostAsync(http, StowClient.Content(body, "application/dicom+json"));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var sop = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var stored = await StowClient.FindStoredAsync(Server.Location, sop);
        Assert.NotNull(stored);
        var file = DicomFile.Open(stored.Value.Path);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal(original.Dataset.Where(e => !e.Tag.IsGroupLength).Select(e => e.Tag), file.Dataset.Select(e => e.Tag));
        foreach (var tag in new[] { DicomTags.PixelData, DicomTags.PatientName, DicomTags.StudyInstanceUID })
        {
            Assert.Equal(((DicomValueElement)original.Dataset[tag]!).Buffer.GetMemory().ToArray(), ((DicomValueElement)file.Dataset[tag]!).Buffer.GetMemory().ToArray());
        }
        await AssertDcmdumpReadsAsync(stored.Value.Path, sop);
    }

    [Fact]
    public async Task Inline_binary_needs_no_bulk_parts()
    {
        using var http = fixture.TechnologistA();
        var sop = StowClient.NewUid();
        var instance = DicomFile.Read(new MemoryStream(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), sop, fill: 42)));
        var json = Encoding.UTF8.GetBytes(DicomJson.Serialize([instance.Dataset], new DicomJsonOptions { BulkDataUriFactory = null }));
        Assert.Contains("InlineBinary", Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        var answer = await StowClient.PostAsync(http, StowClient.Content(StowClient.Body([(json, "application/dicom+json", null)]), "application/dicom+json"));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var stored = DicomFile.Open((await StowClient.FindStoredAsync(Server.Location, sop))!.Value.Path);
        Assert.All(((DicomValueElement)stored.Dataset[DicomTags.PixelData]!).Buffer.GetMemory().ToArray(), b => Assert.Equal(42, b));
    }

    [Fact]
    public async Task Compressed_pixel_data_in_a_bulk_part_with_a_transfer_syntax_becomes_a_fragment()
    {
        using var http = fixture.TechnologistA();
        var original = DicomFile.Open(TestPaths.Sample("JPEGBaseline_1s_1f_u_08_08.dcm"));
        var fragments = (DicomFragmentSequence)original.Dataset[DicomTags.PixelData]!;
        var frame = fragments.Fragments.SelectMany(f => f.GetMemory().ToArray()).ToArray();
        var metadata = original.Dataset.Clone();
        metadata.Remove(DicomTags.PixelData);
        var node = JsonNode.Parse(DicomJson.Serialize([metadata], new DicomJsonOptions { BulkDataUriFactory = null }))!;
        const string uri = "urn:radbridge-test:frame-1";
        node[0]!["7FE00010"] = new JsonObject { ["vr"] = "OB", ["BulkDataURI"] = uri };
        var body = StowClient.Body([
            (Encoding.UTF8.GetBytes(node.ToJsonString()), "application/dicom+json", null),
            (frame, "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", uri),
        ]);

        var answer = await StowClient.PostAsync(http, StowClient.Content(body, "application/dicom+json"));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var sop = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var path = (await StowClient.FindStoredAsync(Server.Location, sop))!.Value.Path;
        var stored = DicomFile.Open(path);
        Assert.Equal("1.2.840.10008.1.2.4.50", stored.TransferSyntax.Uid);
        var storedFragments = Assert.IsType<DicomFragmentSequence>(stored.Dataset[DicomTags.PixelData]);
        Assert.Equal(frame, storedFragments.Fragments.SelectMany(f => f.GetMemory().ToArray()).ToArray());
        await AssertDcmdumpReadsAsync(path, sop);
    }

    [Fact]
    public async Task A_data_set_whose_bulk_data_is_missing_fails_alone()
    {
        using var http = fixture.TechnologistA();
        var (good, missing) = (StowClient.NewUid(), StowClient.NewUid());
        var datasets = new[] { good, missing }
            .Select(sop => DicomFile.Read(new MemoryStream(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), sop, size: 32))).Dataset).ToList();
        var body = JsonBody(datasets, out var bulkParts);
        Assert.Equal(2, bulkParts);
        // Drop the second data set's bulk part (the last part before the closing boundary).
        var text = Encoding.Latin1.GetString(body);
        var lastPart = text.LastIndexOf($"--{StowClient.Boundary}\r\nContent-Type: application/octet-stream", StringComparison.Ordinal);
        var truncated = Encoding.Latin1.GetBytes(text[..lastPart] + $"--{StowClient.Boundary}--\r\n");

        var answer = await StowClient.PostAsync(http, StowClient.Content(truncated, "application/dicom+json"));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        Assert.Equal(good, Assert.Single(answer.Referenced).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(StowFailureReasons.CannotUnderstand, answer.FailureReasonOf(missing));
        Assert.Contains(answer.Warnings, w => w.Contains("names no part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_dicom_json_is_refused_with_400()
    {
        using var http = fixture.TechnologistA();
        foreach (var (json, message) in new[] { ("{\"not\": \"an array\"}", "must be an array"), ("[{\"00100010\": ", "not valid JSON"), ("[]", "empty array") })
        {
            var answer = await StowClient.PostAsync(http, StowClient.Content(StowClient.Body([(Encoding.UTF8.GetBytes(json), "application/dicom+json", null)]), "application/dicom+json"));
            Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
            Assert.Contains(message, answer.Text, StringComparison.Ordinal);
        }
        await StowClient.AssertStillServingAsync(Server);
    }

    /// <summary>DCMTK, which nobody here wrote, reads the file we built.</summary>
    private static async Task AssertDcmdumpReadsAsync(string path, string sop)
    {
        var psi = new ProcessStartInfo("dcmdump") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-q");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0 && stderr.Length == 0, stderr);
        Assert.Contains(sop, stdout, StringComparison.Ordinal);
    }
}
