using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Tests;
using static RadBridge.Dicom.Network.Tests.OrthancFixture;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>Our CLI against a real Orthanc (Debian's package) both ways; Orthanc's REST API is the independent witness.</summary>
[Collection(OrthancCollection.Name)]
public sealed class OrthancInteropTests(OrthancFixture orthanc)
{
    [Fact]
    public async Task Echo_exits_zero_against_orthanc()
    {
        var result = await RadbridgeProcess.RunAsync(["echo", "127.0.0.1", Port(orthanc.DicomPort), "--called", AeTitle]);
        Assert.True(result.ExitCode == 0, result + orthanc.Log());
        Assert.Contains("success", result.StdOut, StringComparison.Ordinal);
    }

    /// <summary>
    /// With DicomCheckCalledAet on, Orthanc refuses a wrong called AE title with A-ASSOCIATE-RJ (rejected-permanent,
    /// service-user, called AE title not recognized); our echo exits 1 with that reason on one error line. (With the
    /// option off, Orthanc's default, it accepts any called AE title.)
    /// </summary>
    [Fact]
    public async Task Echo_to_a_wrong_called_ae_title_is_refused_with_the_reason()
    {
        var result = await RadbridgeProcess.RunAsync(["echo", "127.0.0.1", Port(orthanc.DicomPort), "--called", "NOT" + AeTitle]);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error:", line, StringComparison.Ordinal);
        Assert.Contains("called AE title not recognized", line, StringComparison.Ordinal);
    }

    /// <summary>Transfer syntaxes newer than Orthanc 1.10's DCMTK 3.6.7: HTJ2K, JPEG XL, Deflated Image Frame Compression.</summary>
    private static readonly string[] UnknownToOrthanc =
    [
        "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
        "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112", "1.2.840.10008.1.2.8.1",
    ];

    /// <summary>Orthanc refuses (0xA700) an instance without Patient ID, Study or Series Instance UID: its index needs them.</summary>
    private static bool OrthancCanIndex(StoreSource sample)
    {
        var header = DicomFile.Open(sample.Path, new DicomReadOptions { StopBeforePixelData = true }).Dataset;
        return new[] { new DicomTag(0x0010, 0x0020), new DicomTag(0x0020, 0x000D), new DicomTag(0x0020, 0x000E) }.All(t => header.Contains(t));
    }

    /// <summary>
    /// `send` of every storage sample Orthanc can take (see <see cref="UnknownToOrthanc"/> and <see cref="OrthancCanIndex"/>): Orthanc stores each one, and the file Orthanc serves back (GET
    /// /instances/{id}/file) holds the same data set, element by element. Samples sharing a SOP Instance UID with
    /// another sample are sent but checked only for presence (Orthanc keeps the last one).
    /// </summary>
    [Fact]
    public async Task Send_stores_every_sample_in_orthanc_with_the_data_set_unchanged()
    {
        var samples = StorageInteropTests.StorageSamples().Where(s => !UnknownToOrthanc.Contains(s.TransferSyntax.Uid) && OrthancCanIndex(s)).ToList();
        var folder = Directory.CreateTempSubdirectory("rb-send-orthanc-").FullName;
        try
        {
            foreach (var sample in samples) File.Copy(sample.Path, Path.Combine(folder, Path.GetFileName(sample.Path)));
            var result = await RadbridgeProcess.RunAsync(["send", "127.0.0.1", Port(orthanc.DicomPort), folder, "--called", AeTitle, "--aet", "RBSEND", "--parallel", "2"]);
            Assert.True(result.ExitCode == 0, result + orthanc.Log());
            Assert.Contains($"sent {samples.Count} of {samples.Count} files", result.StdOut, StringComparison.Ordinal);

            var unique = samples.GroupBy(s => s.SopInstanceUid).ToList();
            var failures = new List<string>();
            foreach (var group in unique)
            {
                var id = await orthanc.LookupInstanceAsync(group.Key);
                if (id is null)
                {
                    failures.Add($"{Path.GetFileName(group.First().Path)}: not in Orthanc");
                    continue;
                }
                if (group.Count() > 1) continue;
                var sample = group.Single();
                var stored = DicomFile.Read(new MemoryStream(await orthanc.GetFileAsync(id)));
                var sent = DicomFile.Open(sample.Path);
                failures.AddRange(DatasetComparer.Differences(sent.Dataset, stored.Dataset).Select(d => $"{Path.GetFileName(sample.Path)}: {d}"));
            }
            Assert.True(failures.Count == 0, string.Join('\n', failures));
            Assert.True(unique.Count(g => g.Count() == 1) > 40, "too few samples with a unique SOP Instance UID to mean much");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Orthanc as SCU: instances uploaded over REST (Orthanc's own parser, not ours) are pushed with POST
    /// /modalities/radbridge/store to our `scp` command, which files them with the data set Orthanc holds.
    /// </summary>
    [Fact]
    public async Task Orthanc_pushes_instances_to_our_scp_unchanged()
    {
        string[] names = ["CT_small.dcm", "MR_small_bigendian.dcm", "JPEGBaseline_1s_1f_u_08_08.dcm", "SC_rgb_rle.dcm", "rtplan.dcm", "MR_small_jpeg_ls_lossless.dcm", "emri_small.dcm"];
        var ids = new List<string>();
        foreach (var name in names)
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(TestPaths.Sample(name)));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            using var response = await orthanc.Http.PostAsync(new Uri("instances", UriKind.Relative), content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{name}: {body}");
            ids.Add((string)JsonNode.Parse(body)!["ID"]!);
        }

        var output = Directory.CreateTempSubdirectory("rb-scp-orthanc-").FullName;
        try
        {
            await using (var scp = await RadbridgeProcess.Scp.StartAsync(["scp", "--port", Port(orthanc.OurScpPort), "--aet", OurAeTitle, "--out", output]))
            {
                var request = new JsonObject { ["Resources"] = new JsonArray(ids.Select(i => (JsonNode)i!).ToArray()), ["Synchronous"] = true };
                var answer = await orthanc.PostJsonAsync($"modalities/{OurModality}/store", request.ToJsonString());
                Assert.True((int?)answer["FailedInstancesCount"] == 0, answer.ToJsonString() + scp.Log);
                Assert.Equal(names.Length, (int?)answer["InstancesCount"]);
            }

            var received = Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories).Select(StoreSource.Open).ToDictionary(s => s.SopInstanceUid);
            var failures = new List<string>();
            foreach (var id in ids)
            {
                var held = DicomFile.Read(new MemoryStream(await orthanc.GetFileAsync(id)));
                var uid = held.Dataset.GetString(new DicomTag(0x0008, 0x0018))!;
                if (!received.TryGetValue(uid, out var got))
                {
                    failures.Add($"{uid}: not received");
                    continue;
                }
                failures.AddRange(DatasetComparer.Differences(held.Dataset, DicomFile.Open(got.Path).Dataset).Select(d => $"{uid}: {d}"));
            }
            Assert.True(failures.Count == 0, string.Join('\n', failures));
            Assert.Empty(Directory.GetFiles(Path.Combine(output, ".incoming")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
