using System.Text.RegularExpressions;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests.Dimse;

/// <summary>
/// Crash safety of C-STORE: the server is killed (SIGKILL) while four storescu processes send in parallel; after a
/// restart every instance any of them saw acknowledged is in the index and its file is intact.
/// </summary>
public sealed partial class ArchiveScpCrashTests
{
    private const int Senders = 4;
    private const int PerSender = 25;

    [Fact]
    public async Task Every_instance_acknowledged_before_a_kill_is_archived_intact_after_restart()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Clinic A");
        await server.AddAeAsync(org, "CLINIC_A");
        var work = Directory.CreateTempSubdirectory("rb-archive-crash-").FullName;
        try
        {
            var batches = Generate(work);
            var senders = batches.Select(files => server.StoreAsync("CLINIC_A", files)).ToArray();

            // Kill once a good part has been stored, with the rest still in flight.
            for (var i = 0; i < 600 && StoredCount(server.Output) < Senders * PerSender / 4; i++) await Task.Delay(50);
            server.Kill();
            var results = await Task.WhenAll(senders);

            var acknowledged = results.SelectMany(r => Acknowledged(r.Output)).ToList();
            Assert.True(acknowledged.Count >= Senders * PerSender / 4, $"only {acknowledged.Count} acknowledged before the kill:\n{string.Join("\n", results.Select(r => r.ToString()))}");
            Assert.True(acknowledged.Count < Senders * PerSender, "the kill came after every store finished: nothing was in flight");

            await server.RestartAsync();
            foreach (var sent in acknowledged)
            {
                var source = Dicom.Network.Services.StoreSource.Open(sent);
                var stored = await server.FindStoredAsync(source.SopInstanceUid);
                Assert.True(stored is not null, $"{Path.GetFileName(sent)} was acknowledged but is not in the index after the restart");
                // storescu re-encodes on the way (group lengths), so the comparison is element by element.
                var differences = DatasetComparer.Differences(DicomFile.Open(sent).Dataset, DicomFile.Open(stored.Value.Path).Dataset);
                Assert.True(differences.Count == 0, $"{Path.GetFileName(sent)}: the archived data set differs from the one sent: {string.Join("; ", differences)}");
            }

            // And the archive keeps serving: what was not acknowledged can be sent again.
            var again = await server.StoreAsync("CLINIC_A", batches.SelectMany(b => b));
            Assert.True(again.ExitCode == 0, again.ToString());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Instances of one new study made from a sample, each with its own UID, split into the senders' batches.</summary>
    private static List<string[]> Generate(string directory)
    {
        var study = DicomUid.Generate().Value;
        var series = DicomUid.Generate().Value;
        var batches = new List<string[]>();
        for (var s = 0; s < Senders; s++)
        {
            var files = new string[PerSender];
            for (var i = 0; i < PerSender; i++)
            {
                var file = DicomFile.Open(TestPaths.Sample("CT_small.dcm"));
                file.Dataset.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, study);
                file.Dataset.AddOrUpdate(new DicomTag(0x0020, 0x000E), DicomVR.UI, series);
                file.Dataset.AddOrUpdate(new DicomTag(0x0008, 0x0018), DicomVR.UI, DicomUid.Generate().Value);
                file.Dataset.AddOrUpdate(new DicomTag(0x0020, 0x0013), DicomVR.IS, (s * PerSender + i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                files[i] = Path.Combine(directory, $"s{s}-{i:D3}.dcm");
                file.Save(files[i]);
            }
            batches.Add(files);
        }
        return batches;
    }

    /// <summary>The files storescu -v reported a Success response for: "Sending file: F" followed by "Received Store Response (Success)".</summary>
    private static IEnumerable<string> Acknowledged(string output)
    {
        string? sending = null;
        foreach (var line in output.Split('\n'))
        {
            var file = SendingFile().Match(line);
            if (file.Success) sending = file.Groups[1].Value.Trim();
            else if (sending is not null && line.Contains("Received Store Response (Success)", StringComparison.Ordinal))
            {
                yield return sending;
                sending = null;
            }
        }
    }

    private static int StoredCount(string serverOutput) => StoredLine().Count(serverOutput);

    [GeneratedRegex(@"Sending file: (.+)$")]
    private static partial Regex SendingFile();

    [GeneratedRegex(@": stored \d")]
    private static partial Regex StoredLine();
}
