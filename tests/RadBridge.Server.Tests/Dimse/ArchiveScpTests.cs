using System.Collections.Concurrent;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests.Dimse;

/// <summary>DCMTK's SCUs against the archive SCP of a real <c>radbridge serve</c>: who may associate, and what C-STORE archives where.</summary>
public sealed class ArchiveScpTests
{
    [Fact]
    public async Task Echo_is_answered_for_a_registered_ae_and_refused_for_an_unknown_ae_or_a_wrong_called_ae()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Clinic A");
        await server.AddAeAsync(org, "CLINIC_A");

        var ok = await server.EchoAsync("CLINIC_A");
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var unknown = await server.EchoAsync("STRANGER");
        Assert.True(unknown.ExitCode != 0, unknown.ToString());
        Assert.Contains("Calling AE Title Not Recognized", unknown.Output, StringComparison.Ordinal);
        await WaitForOutputAsync(server, "DICOM association from STRANGER at 127.0.0.1 refused: calling AE title not recognised");

        var wrongCalled = await server.EchoAsync("CLINIC_A", "NOT_THE_ARCHIVE");
        Assert.True(wrongCalled.ExitCode != 0, wrongCalled.ToString());
        Assert.Contains("Called AE Title Not Recognized", wrongCalled.Output, StringComparison.Ordinal);

        // An AE registered while the server runs is recognised on its next association.
        await server.AddAeAsync(org, "LATECOMER");
        var late = await server.EchoAsync("LATECOMER");
        Assert.True(late.ExitCode == 0, late.ToString());
    }

    [Fact]
    public async Task Storescu_stores_every_storable_sample_into_the_aes_organisation_with_its_data_set_unchanged()
    {
        var samples = ArchiveScpSupport.StorableSamples();
        Assert.True(samples.Count > 60, $"only {samples.Count} storable samples");
        // Several samples share a SOP Instance UID with different content: keep-newest lets each be stored and checked in turn.
        await using var server = await ServerProcess.StartAsync(null, null, "--duplicates", "KeepNewest");
        var orgA = await server.AddOrganizationAsync("Clinic A");
        await server.AddAeAsync(orgA, "CLINIC_A");
        var work = Directory.CreateTempSubdirectory("rb-archive-storescu-").FullName;
        var failures = new ConcurrentBag<string>();
        var reencodedByDcmtk = new ConcurrentBag<string>();
        try
        {
            // Round n sends the n-th sample of each SOP Instance UID, so no two in flight share one.
            var rounds = samples.GroupBy(s => s.SopInstanceUid).SelectMany(g => g.Select((s, i) => (s, i))).GroupBy(x => x.i, x => x.s);
            foreach (var round in rounds)
            {
                await Parallel.ForEachAsync(round, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (sample, _) =>
                {
                    var name = Path.GetFileName(sample.Path);
                    var dir = Directory.CreateDirectory(Path.Combine(work, Guid.NewGuid().ToString("N"))).FullName;
                    var config = ArchiveScpSupport.StorescuConfig(sample, dir);
                    var result = await server.StoreAsync("CLINIC_A", [sample.Path], "-xf", config, "Exact");
                    var stored = await server.FindStoredAsync(sample.SopInstanceUid);
                    if (!Archivable(sample.Path))
                    {
                        // No Study/Series Instance UID to file it under: refused as C000 "cannot understand", nothing kept.
                        if (!result.Output.Contains("Error: CannotUnderstand", StringComparison.Ordinal) || stored is not null) failures.Add($"{name}: without its study or series UID, yet not refused: {result}");
                        return;
                    }
                    if (result.ExitCode != 0 || stored is null)
                    {
                        failures.Add($"{name}: not stored: {result}");
                        return;
                    }
                    if (stored.Value.OrganizationId != orgA) failures.Add($"{name}: stored into organisation {stored.Value.OrganizationId}");
                    var received = Dicom.Network.Services.StoreSource.Open(stored.Value.Path);
                    if (!received.TransferSyntax.Equals(sample.TransferSyntax)) failures.Add($"{name}: kept in {received.TransferSyntax.Uid}, sent in {sample.TransferSyntax.Uid}");
                    var actual = ArchiveScpSupport.DataSetBytes(stored.Value.Path);
                    if (!ArchiveScpSupport.DataSetBytes(sample.Path).Span.SequenceEqual(actual.Span))
                    {
                        // storescu re-encodes some files (group lengths, trailing padding): then what the archive keeps
                        // must be exactly what DCMTK's own storescp receives bit-preserving (+B) from the same storescu.
                        var reference = await ReceiveWithDcmtkAsync(sample, config);
                        if (!reference.Span.SequenceEqual(actual.Span)) failures.Add($"{name}: data set differs from the sample and from what storescp +B received");
                        else reencodedByDcmtk.Add(name);
                    }
                });
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Assert.True(failures.IsEmpty, string.Join('\n', failures) + "\n" + server.Output[^Math.Min(server.Output.Length, 4000)..]);
        Assert.True(samples.Count(s => Archivable(s.Path)) > 60, "most samples must be archived, not refused");
        Assert.True(reencodedByDcmtk.Count < samples.Count / 2, "re-encoded by storescu: " + string.Join(", ", reencodedByDcmtk));
        Assert.Empty(Directory.GetFiles(server.Location.TempDirectory));
    }

    [Fact]
    public async Task Another_organisations_ae_cannot_store_into_a_study_it_does_not_own()
    {
        await using var server = await ServerProcess.StartAsync();
        var orgA = await server.AddOrganizationAsync("Clinic A");
        var orgB = await server.AddOrganizationAsync("Clinic B");
        await server.AddAeAsync(orgA, "CLINIC_A");
        await server.AddAeAsync(orgB, "CLINIC_B");
        var sample = TestPaths.Sample("CT_small.dcm");
        var source = Dicom.Network.Services.StoreSource.Open(sample);

        var first = await server.StoreAsync("CLINIC_A", [sample]);
        Assert.True(first.ExitCode == 0, first.ToString());

        var foreign = await server.StoreAsync("CLINIC_B", [sample]);
        Assert.True(foreign.ExitCode != 0, foreign.ToString());
        Assert.Contains("0x124", foreign.Output, StringComparison.Ordinal); // 0124 Refused: not authorized
        Assert.Equal(orgA, (await server.FindStoredAsync(source.SopInstanceUid))!.Value.OrganizationId);

        // The same instance again from its owner is an identical re-send: success, still one copy.
        var again = await server.StoreAsync("CLINIC_A", [sample]);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task A_different_data_set_under_a_stored_sop_instance_uid_is_refused_with_A900()
    {
        await using var server = await ServerProcess.StartAsync();
        var org = await server.AddOrganizationAsync("Clinic A");
        await server.AddAeAsync(org, "CLINIC_A");
        var work = Directory.CreateTempSubdirectory("rb-conflict-").FullName;
        try
        {
            var original = Path.Combine(work, "a.dcm");
            File.Copy(TestPaths.Sample("CT_small.dcm"), original);
            var changed = Path.Combine(work, "b.dcm");
            var file = DicomFile.Open(original);
            file.Dataset.AddOrUpdate(new DicomTag(0x0008, 0x103E), DicomVR.LO, "CHANGED");
            file.Save(changed);

            Assert.Equal(0, (await server.StoreAsync("CLINIC_A", [original])).ExitCode);
            var conflict = await server.StoreAsync("CLINIC_A", [changed]);
            Assert.True(conflict.ExitCode != 0, conflict.ToString());
            Assert.Contains("Error: DataSetDoesNotMatchSOPClass", conflict.Output, StringComparison.Ordinal); // DCMTK's name of A900
            await WaitForOutputAsync(server, "already stored with different content");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static bool Archivable(string path)
    {
        var data = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true }).Dataset;
        return Archive.Storage.InstanceFileStore.IsValidUid(data.GetString(new DicomTag(0x0020, 0x000D)))
            && Archive.Storage.InstanceFileStore.IsValidUid(data.GetString(new DicomTag(0x0020, 0x000E)));
    }

    private static async Task<ReadOnlyMemory<byte>> ReceiveWithDcmtkAsync(Dicom.Network.Services.StoreSource sample, string config)
    {
        using var storescp = new Dcmtk.StoreScp("+B");
        var result = await Dcmtk.RunAsync("storescu", ["-xf", config, "Exact", "-aec", "STORESCP", "-aet", "STORESCU", "127.0.0.1",
            storescp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), sample.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return ArchiveScpSupport.DataSetBytes(Directory.GetFiles(storescp.Directory).Single());
    }

    /// <summary>Waits (briefly) for the server to have logged <paramref name="text"/>: logging is asynchronous to the client's exit.</summary>
    internal static async Task WaitForOutputAsync(ServerProcess server, string text)
    {
        for (var i = 0; i < 50 && !server.Output.Contains(text, StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.True(server.Output.Contains(text, StringComparison.Ordinal), $"the server did not log '{text}':\n{server.Output}");
    }
}
