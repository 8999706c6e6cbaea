using System.Collections.Concurrent;
using System.Globalization;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Tests;

namespace RadBridge.Dicom.Network.Tests;

public sealed class StorageInteropTests
{
    /// <summary>
    /// Samples not sent: the MANIFEST's deliberately broken ("Odd:") files, which DCMTK cannot or should not send as
    /// they are. Kept literal so a new odd sample is a visible decision, and checked against the manifest.
    /// </summary>
    internal static readonly string[] Skipped =
    [
        "3gb-bulk-data-truncated.dcm", "badVR.dcm", "explicit_VR-UN.dcm", "ExplVR_LitEndNoMeta.dcm",
        "GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm", "GH179B.dcm", "JPEG2000-embedded-sequence-delimiter.dcm",
        "meta_missing_tsyntax.dcm", "MR_truncated.dcm", "no_meta.dcm", "no_preamble_dicm_in_data.dcm", "Tag-0040-A170-VR-CS.dcm",
    ];

    /// <summary>Samples that are not storable instances: the DICOMDIR (a media directory) and data set fragments without SOP Class/Instance UID.</summary>
    internal static readonly string[] NotInstances =
    [
        "DICOMDIR.dcm", "JLSL_RGB_ILV0.dcm", "UN_sequence.dcm", "chrSQEncoding.dcm", "empty_charset_LEI.dcm", "nested_priv_SQ.dcm", "priv_SQ.dcm",
    ];

    /// <summary>Every sample with File Meta whose SOP class is a Storage SOP class (DICOMDIR is not one).</summary>
    internal static List<StoreSource> StorageSamples()
    {
        var list = new List<StoreSource>();
        foreach (var path in Directory.GetFiles(TestPaths.Samples, "*.dcm").Order(StringComparer.Ordinal))
        {
            if (Skipped.Contains(Path.GetFileName(path)) || NotInstances.Contains(Path.GetFileName(path))) continue;
            var source = StoreSource.Open(path);
            if (StorageSopClasses.Contains(source.SopClassUid)) list.Add(source);
        }
        return list;
    }

    [Fact]
    public void Skip_list_is_exactly_the_manifests_odd_files()
    {
        var odd = File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(f => f.Length > 5 && f[5].StartsWith("Odd:", StringComparison.Ordinal)).Select(f => f[0]);
        Assert.Equal(odd.Order(StringComparer.Ordinal), Skipped.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A storescu configuration proposing exactly the file's SOP class in exactly its transfer syntax, so DCMTK sends it
    /// without conversion (its -x options do not cover every syntax, e.g. HTJ2K).
    /// </summary>
    internal static string StorescuConfig(StoreSource sample, string directory)
    {
        var path = Path.Combine(directory, "storescu.cfg");
        File.WriteAllText(path, $"""
            [[TransferSyntaxes]]
            [TS]
            TransferSyntax1 = {sample.TransferSyntax.Uid}
            [[PresentationContexts]]
            [PC]
            PresentationContext1 = {sample.SopClassUid}\TS
            [[Profiles]]
            [Exact]
            PresentationContexts = PC
            """);
        return path;
    }

    /// <summary>Samples in transfer syntaxes DCMTK 3.6.7 does not know (HTJ2K, JPEG XL, Deflated Image Frame): storescu cannot send them.</summary>
    internal static readonly string[] UnknownToDcmtk367 = ["HTJ2KLossless_08_RGB.dcm", "liver_deflate.dcm", "will-jxl.dcm"];

    [Fact]
    public async Task Dcmtk_storescu_sends_every_storage_sample_and_the_data_sets_arrive_unchanged()
    {
        var samples = StorageSamples().Where(s => !UnknownToDcmtk367.Contains(Path.GetFileName(s.Path))).ToList();
        Assert.True(samples.Count > 60, $"only {samples.Count} storage samples");
        await using var scp = new TestScp();
        var work = Directory.CreateTempSubdirectory("rb-storescu-").FullName;
        var failures = new ConcurrentBag<string>();
        var reencodedByDcmtk = new ConcurrentBag<string>();
        try
        {
            // One storescu per file (several samples share a SOP Instance UID), four at a time, each with its own
            // calling AE title to find what it delivered.
            await Parallel.ForEachAsync(samples.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) =>
            {
                var (sample, index) = item;
                var name = Path.GetFileName(sample.Path);
                var caller = $"SCU{index}";
                var dir = Directory.CreateDirectory(Path.Combine(work, caller)).FullName;
                var config = StorescuConfig(sample, dir);
                var result = await Dcmtk.RunAsync("storescu", ["-xf", config, "Exact", "-aec", "RBSCP", "-aet", caller, "127.0.0.1", scp.Port.ToString(CultureInfo.InvariantCulture), sample.Path]);
                if (result.ExitCode != 0 || !scp.Handler.ByCaller.TryGetValue(caller, out var stored))
                {
                    failures.Add($"{name}: not received: {result}");
                    return;
                }
                var received = StoreSource.Open(stored);
                if (!received.TransferSyntax.Equals(sample.TransferSyntax)) failures.Add($"{name}: arrived in {received.TransferSyntax.Uid}, sent in {sample.TransferSyntax.Uid}");
                var expected = File.ReadAllBytes(sample.Path).AsMemory((int)Math.Max(sample.DataSetOffset, 0));
                var actual = File.ReadAllBytes(stored).AsMemory((int)received.DataSetOffset);
                if (!expected.Span.SequenceEqual(actual.Span))
                {
                    // storescu re-encodes some files (drops group lengths, trailing padding); then what arrived must be
                    // exactly what DCMTK's own storescp receives bit-preserving from the same storescu.
                    var reference = await ReceiveWithDcmtkAsync(sample, config);
                    if (!reference.Span.SequenceEqual(actual.Span)) failures.Add($"{name}: data set differs from the sample and from what DCMTK storescp +B received ({reference.Length} vs {actual.Length} bytes)");
                    else reencodedByDcmtk.Add(name);
                }
                var meta = DicomFile.Open(stored, new DicomReadOptions { StopBeforePixelData = true }).FileMetaInformation;
                if (meta.GetString(new DicomTag(0x0002, 0x0012)) != DicomWriter.ImplementationClassUid
                    || meta.GetString(new DicomTag(0x0002, 0x0002)) != sample.SopClassUid
                    || meta.GetString(new DicomTag(0x0002, 0x0003)) != sample.SopInstanceUid
                    || meta.GetString(new DicomTag(0x0002, 0x0016)) != caller)
                {
                    failures.Add($"{name}: File Meta does not name our implementation, the instance and the sender");
                }
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Assert.True(failures.IsEmpty, string.Join('\n', failures));
        // storescu rewrites a third of the samples (group lengths, padding); the rest must travel byte for byte, so the
        // comparison with the sample itself is not vacuous.
        Assert.True(reencodedByDcmtk.Count < samples.Count / 2, "re-encoded by storescu: " + string.Join(", ", reencodedByDcmtk));
        Assert.Empty(Directory.GetFiles(Path.Combine(scp.Directory, ".incoming")));
    }

    [Fact]
    public async Task Our_scu_sends_every_storage_sample_to_our_scp_byte_for_byte()
    {
        var samples = StorageSamples();
        await using var scp = new TestScp();
        foreach (var batch in samples.GroupBy(s => s.SopInstanceUid).SelectMany(g => g.Select((s, i) => (s, i))).GroupBy(x => x.i, x => x.s))
        {
            var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions { CalledAeTitle = "RBSCP" }, StorageScu.Propose(batch));
            await using (association)
            {
                foreach (var sample in batch)
                {
                    scp.Handler.Stored.TryRemove(sample.SopInstanceUid, out _);
                    Assert.True((await association.StoreAsync(sample)).IsSuccess, sample.Path);
                    var stored = scp.Handler.Stored[sample.SopInstanceUid];
                    var received = StoreSource.Open(stored);
                    Assert.Equal(sample.TransferSyntax, received.TransferSyntax);
                    var expected = File.ReadAllBytes(sample.Path).AsSpan((int)Math.Max(sample.DataSetOffset, 0));
                    if (sample.DataSetOffset >= 0) Assert.True(expected.SequenceEqual(File.ReadAllBytes(stored).AsSpan((int)received.DataSetOffset)), sample.Path);
                }
                await association.ReleaseAsync();
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReceiveWithDcmtkAsync(StoreSource sample, string config)
    {
        using var storescp = new Dcmtk.StoreScp("+B");
        var result = await Dcmtk.RunAsync("storescu", ["-xf", config, "Exact", "-aec", "STORESCP", "-aet", "STORESCU", "127.0.0.1", storescp.Port.ToString(CultureInfo.InvariantCulture), sample.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var file = Directory.GetFiles(storescp.Directory).Single();
        var received = StoreSource.Open(file);
        return File.ReadAllBytes(file).AsMemory((int)received.DataSetOffset);
    }
}
