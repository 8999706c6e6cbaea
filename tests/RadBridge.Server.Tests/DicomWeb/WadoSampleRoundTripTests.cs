using System.Net;
using RadBridge.Archive.Ingest;
using Xunit.Abstractions;

namespace RadBridge.Server.Tests.DicomWeb;

public sealed class WadoSampleRoundTripTests(ITestOutputHelper output)
{
    private const string AsStored = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    /// <summary>The samples a store may take: not the deliberately broken ("Odd:") ones, not the DICOMDIR.</summary>
    public static IEnumerable<string> StorableCandidates() =>
        File.ReadAllLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length >= 6 && !f[5].StartsWith("Odd:", StringComparison.Ordinal) && !f[0].StartsWith("DICOMDIR", StringComparison.Ordinal))
            .Select(f => f[0]);

    [Fact]
    public async Task Every_storable_sample_comes_back_byte_identical_with_metadata_naming_its_attributes_and_pixel_bulk_data()
    {
        // Samples share SOP Instance UIDs (one image in several encodings): each is checked right after its own store,
        // and the next encoding replaces it.
        await using var wado = await WadoServer.StartAsync(DuplicatePolicy.KeepNewest);
        using var client = wado.Client("a-rad");
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var name in StorableCandidates())
        {
            var stored = await wado.Seeder.StoreAsync(TestPaths.Sample(name), wado.OrgA);
            if (!stored.Succeeded)
            {
                output.WriteLine($"not storable: {name}: {stored.Problem}");
                continue;
            }
            try
            {
                await CheckAsync(client, name, stored.Attributes!);
                checkedCount++;
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException or DicomException or InvalidOperationException)
            {
                failures.Add($"{name}: {ex.Message}");
            }
        }
        output.WriteLine($"{checkedCount} samples round-tripped");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCount >= 60, $"only {checkedCount} samples were storable");
        Assert.True(await wado.Server.AuditedAsync("a-rad", "retrieve", "success"), "audit record of a-rad retrieve success");
    }

    private static async Task CheckAsync(HttpClient client, string name, InstanceAttributes a)
    {
        var sampleBytes = await File.ReadAllBytesAsync(TestPaths.Sample(name));
        using (var response = await WadoServer.GetAsync(client, WadoServer.InstanceUrl(a), AsStored))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"retrieve: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var parts = await MultipartBody.ReadAsync(response);
            var part = Assert.Single(parts);
            Assert.Equal($"application/dicom; transfer-syntax={a.TransferSyntaxUid}", part.ContentType);
            Assert.True(part.Content.AsSpan(128, 4).SequenceEqual("DICM"u8), "a Part 10 file with preamble");
            Assert.True(Bytes.DataSet(sampleBytes).AsSpan().SequenceEqual(Bytes.DataSet(part.Content)), "data set bytes identical to the sample's");
            var reread = DicomFile.Read(new MemoryStream(part.Content));
            Assert.Equal(a.TransferSyntaxUid, reread.TransferSyntax.Uid);
            // A file stored without preamble or File Meta goes out with a File Meta written for it: DCMTK must read it.
            if (!(sampleBytes.Length > 132 && sampleBytes.AsSpan(128, 4).SequenceEqual("DICM"u8))) await DcmtkCheck.DumpAsync(part.Content);
        }

        using (var response = await WadoServer.GetAsync(client, $"dicomweb/studies/{a.StudyInstanceUid}/series/{a.SeriesInstanceUid}/metadata", "application/dicom+json"))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"metadata: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
            var uris = new List<string>();
            var datasets = DicomJson.DeserializeArray(await response.Content.ReadAsByteArrayAsync(), new DicomJsonOptions
            {
                BulkDataResolver = uri =>
                {
                    uris.Add(uri);
                    return DicomBuffer.Empty;
                },
            });
            var json = datasets.Single(d => d.GetString(DicomTags.SOPInstanceUID) == a.SopInstanceUid);
            var sample = DicomFile.Open(TestPaths.Sample(name)).Dataset;
            foreach (var element in sample)
            {
                if (element.Tag.Element == 0x0000) continue; // Group lengths are not part of the JSON model.
                Assert.True(json.Contains(element.Tag), $"metadata lacks {element.Tag}");
            }
            Assert.Equal(sample.GetString(DicomTags.StudyInstanceUID), json.GetString(DicomTags.StudyInstanceUID));
            Assert.Equal(sample.GetString(DicomTags.PatientID), json.GetString(DicomTags.PatientID));
            if (sample.Contains(DicomTags.PixelData))
            {
                var expected = $"{client.BaseAddress}{WadoServer.InstanceUrl(a)}/bulkdata/7FE00010";
                Assert.Contains(expected, uris);
            }
        }
    }
}
