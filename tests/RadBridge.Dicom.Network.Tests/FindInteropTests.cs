using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>DCMTK findscu against our C-FIND SCP, and our C-FIND SCU against it, on samples stored by storescu.</summary>
public sealed class FindInteropTests(QueryScp scp) : IClassFixture<QueryScp>
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    private static readonly DicomTag NumberOfSeriesRelatedInstances = new(0x0020, 0x1209);
    private static readonly DicomTag ModalitiesInStudy = new(0x0008, 0x0061);

    /// <summary>Runs findscu with -X and returns the response identifiers DCMTK extracted.</summary>
    private async Task<List<DicomDataset>> FindscuAsync(string model, params string[] keys)
    {
        var output = Directory.CreateTempSubdirectory("rb-findscu-").FullName;
        try
        {
            var args = new List<string> { model, "-aec", "QRSCP", "-X", "-od", output };
            foreach (var k in keys) args.AddRange(["-k", k]);
            args.AddRange(["127.0.0.1", scp.PortText]);
            var result = await Dcmtk.RunAsync("findscu", args);
            Assert.True(result.ExitCode == 0, result.ToString());
            return [.. Directory.GetFiles(output, "rsp*.dcm").Order(StringComparer.Ordinal).Select(f => DicomFile.Open(f).Dataset)];
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string[] Studies(IEnumerable<DicomDataset> responses) =>
        [.. responses.Select(r => r.GetString(QueryLevels.StudyInstanceUid)!).Order(StringComparer.Ordinal)];

    private string[] ExpectedStudies(Func<DicomDataset, bool> where) =>
        [.. scp.Headers.Where(where).Select(h => h.GetString(QueryLevels.StudyInstanceUid)!).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Universal_study_query_returns_every_study_with_only_the_requested_keys()
    {
        var responses = await FindscuAsync("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName", "ModalitiesInStudy");
        Assert.Equal(ExpectedStudies(_ => true), Studies(responses));
        foreach (var r in responses)
        {
            var header = scp.Headers.First(h => h.GetString(QueryLevels.StudyInstanceUid) == r.GetString(QueryLevels.StudyInstanceUid));
            Assert.Equal(header.GetString(PatientName) ?? "", r.GetString(PatientName) ?? "");
            Assert.Equal(header.GetStrings(new DicomTag(0x0008, 0x0060)), r.GetStrings(ModalitiesInStudy));
            Assert.Equal("STUDY", r.GetString(QueryLevels.Level));
            Assert.DoesNotContain(r, e => e.Tag == StudyDate || e.Tag == QueryLevels.PatientId || e.Tag == QueryLevels.SopInstanceUid);
        }
    }

    [Fact]
    public async Task Wildcard_on_patient_name()
    {
        var responses = await FindscuAsync("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "PatientName=CompressedSamples^?R*");
        Assert.Equal(ExpectedStudies(h => h.GetString(PatientName) is { } n && n.StartsWith("CompressedSamples^", StringComparison.Ordinal) && n.Length > 19 && n[19] == 'R'), Studies(responses));
        Assert.Single(responses); // MR1 only: ?R matches "MR", not "CT"
    }

    [Theory]
    [InlineData("20040101-20041231")]
    [InlineData("-20031231")]
    [InlineData("20040201-")]
    [InlineData("20040119")]
    public async Task Date_ranges(string range)
    {
        var responses = await FindscuAsync("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", $"StudyDate={range}");
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        var (low, high) = dash < 0 ? (range, range) : (range[..dash], range[(dash + 1)..]);
        bool InRange(DicomDataset h) => h.GetString(StudyDate) is { Length: 8 } d
            && (low.Length == 0 || string.CompareOrdinal(d, low) >= 0) && (high.Length == 0 || string.CompareOrdinal(d, high) <= 0);
        var expected = ExpectedStudies(InRange);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Studies(responses));
    }

    [Fact]
    public async Task List_of_uids()
    {
        var responses = await FindscuAsync("-S", "QueryRetrieveLevel=STUDY", $"StudyInstanceUID={scp.Uid(0)}\\{scp.Uid(4)}\\1.2.3.999");
        Assert.Equal(new[] { scp.Uid(0), scp.Uid(4) }.Order(StringComparer.Ordinal), Studies(responses));
    }

    [Fact]
    public async Task Series_level_in_a_study_counts_its_instances()
    {
        var responses = await FindscuAsync("-S", "QueryRetrieveLevel=SERIES", $"StudyInstanceUID={scp.Uid(3)}", "SeriesInstanceUID", "Modality", "NumberOfSeriesRelatedInstances");
        var r = Assert.Single(responses);
        Assert.Equal(scp.Headers[3].GetString(QueryLevels.SeriesInstanceUid), r.GetString(QueryLevels.SeriesInstanceUid));
        Assert.Equal("MR", r.GetString(new DicomTag(0x0008, 0x0060)));
        Assert.Equal("1", r.GetString(NumberOfSeriesRelatedInstances));
    }

    [Fact]
    public async Task Patient_root_patient_and_image_levels()
    {
        var patients = await FindscuAsync("-P", "QueryRetrieveLevel=PATIENT", "PatientID=4MR1", "PatientName");
        Assert.Equal("CompressedSamples^MR1", Assert.Single(patients).GetString(PatientName));
        var images = await FindscuAsync("-P", "QueryRetrieveLevel=IMAGE", "PatientID=4MR1", $"StudyInstanceUID={scp.Uid(3)}",
            $"SeriesInstanceUID={scp.Headers[3].GetString(QueryLevels.SeriesInstanceUid)}", "SOPInstanceUID");
        Assert.Equal(scp.Headers[3].GetString(QueryLevels.SopInstanceUid), Assert.Single(images).GetString(QueryLevels.SopInstanceUid));
    }

    [Fact]
    public async Task Series_query_without_the_study_uid_fails_with_A900()
    {
        var result = await Dcmtk.RunAsync("findscu", ["-S", "-v", "-aec", "QRSCP", "-k", "QueryRetrieveLevel=SERIES", "-k", "SeriesInstanceUID", "127.0.0.1", scp.PortText]);
        Assert.Contains("Final Find Response (Error: DataSetDoesNotMatchSOPClass)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Findscu_cancel_after_one_response_is_answered_with_cancel_and_the_association_goes_on()
    {
        // A source as slow as a busy database (a match every 300 ms), so the C-CANCEL-RQ findscu sends after the first
        // pending response arrives while matches are still coming.
        var registry = new Services.DimseServiceRegistry().AddFind(new SlowSource(scp.Index, TimeSpan.FromMilliseconds(300)));
        var server = new DicomServer(new DicomServerOptions { AeTitle = "QRSCP" }, registry);
        await using (server)
        {
            server.Start(0, System.Net.IPAddress.Loopback);
            var result = await Dcmtk.RunAsync("findscu", ["-S", "-v", "-aec", "QRSCP", "--cancel", "1", "--repeat", "2", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID", "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(result.ExitCode == 0, result.ToString());
            // The first query ends with Cancel (FE00) right after its first match; findscu counts responses across the
            // repeats, so the second query on the same association runs to Success with every study.
            var cancelled = result.Output.IndexOf("Final Find Response (Cancel", StringComparison.Ordinal);
            Assert.True(cancelled > 0, result.Output);
            Assert.DoesNotContain("Find Response: 2 ", result.Output[..cancelled], StringComparison.Ordinal);
            var second = result.Output[cancelled..];
            Assert.Contains("Final Find Response (Success", second, StringComparison.Ordinal);
            Assert.Equal(QueryScp.SampleNames.Length, second.Split("(Pending)", StringSplitOptions.None).Length - 1);
        }
    }

    private sealed class SlowSource(IQueryRetrieveSource inner, TimeSpan delay) : IQueryRetrieveSource
    {
        public async IAsyncEnumerable<DicomDataset> FindAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var match in inner.FindAsync(level, identifier, options, ct))
            {
                await Task.Delay(delay, ct);
                yield return match;
            }
        }

        public IAsyncEnumerable<StoredInstance> ResolveAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
            inner.ResolveAsync(level, identifier, options, ct);
    }

    [Fact]
    public async Task A_source_that_cannot_answer_fails_the_find_with_C000_and_sees_who_called()
    {
        var source = new RefusingSource();
        var registry = new Services.DimseServiceRegistry().AddFind(source);
        var server = new DicomServer(new DicomServerOptions { AeTitle = "QRSCP" }, registry);
        await using (server)
        {
            server.Start(0, System.Net.IPAddress.Loopback);
            var result = await Dcmtk.RunAsync("findscu", ["-S", "-d", "-aet", "WHOASKS", "-aec", "QRSCP", "--repeat", "2", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID", "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.True(result.ExitCode == 0, result.ToString());
            // Both queries of the association are answered (no abort), each with Unable to process and the reason.
            Assert.Equal(2, result.Output.Split("0xc000: Failed: Unable to process", StringSplitOptions.None).Length - 1);
            Assert.Contains("no answer for WHOASKS", result.Output, StringComparison.Ordinal);
            Assert.Equal(2, source.Calls);
        }
    }

    // Answers only through the association-aware overload, and refuses every query naming the caller.
    private sealed class RefusingSource : IQueryRetrieveSource
    {
        public int Calls;

        public IAsyncEnumerable<DicomDataset> FindAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
            throw new InvalidOperationException("the SCP must call the association-aware overload");

        public IAsyncEnumerable<StoredInstance> ResolveAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
            throw new InvalidOperationException("the SCP must call the association-aware overload");

        public async IAsyncEnumerable<DicomDataset> FindAsync(DicomAssociation association, QueryLevel level, DicomDataset identifier, MatchingOptions options,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            await Task.Yield();
            throw new DicomException($"no answer for {association.CallingAeTitle}");
#pragma warning disable CS0162 // an iterator needs a yield; this one never gets there
            yield break;
#pragma warning restore CS0162
        }
    }

    [Fact]
    public async Task Our_find_scu_gets_what_findscu_gets()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(QueryLevels.StudyInstanceUid, DicomVR.UI, "");
        identifier.AddOrUpdate(StudyDate, DicomVR.DA, "20030101-20041231");
        var association = await DicomClient.ConnectAsync("127.0.0.1", scp.Port, new DicomClientOptions { CalledAeTitle = "QRSCP" },
            new PresentationContextProposal().Add(QueryRetrieveSopClasses.StudyRootFind, "1.2.840.10008.1.2.1"));
        var ours = new List<DicomDataset>();
        await using (association)
        {
            await foreach (var match in association.FindAsync(QueryModel.StudyRoot, identifier)) ours.Add(match);
            await association.ReleaseAsync();
        }
        var theirs = await FindscuAsync("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "StudyDate=20030101-20041231");
        Assert.Equal(3, ours.Count);
        Assert.Equal(Studies(theirs), Studies(ours));
    }
}
