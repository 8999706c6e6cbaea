using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Infrastructure;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Query;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.ArchiveScale;

/// <summary>One QIDO-style search as QidoEndpoints would run it: the level, the query parameters, the target resource.</summary>
internal sealed record Search(QueryLevel Level, IReadOnlyList<KeyValuePair<string, string>> Parameters, string? Study = null, string? Series = null);

/// <summary>A kind of search, with a fresh value per run drawn from the generated data (no run repeats the previous one's value).</summary>
internal sealed record SearchKind(string Name, string Example, ArchiveCaller Caller, Func<Random, Search> Next);

internal sealed record Latency(string Name, string Example, double P50, double P95, double Max, double MeanResults, int Runs);

/// <summary>
/// Times searches through <see cref="ArchiveQueryService"/> exactly as QIDO-RS calls it (parse, new pooled context,
/// FindAsync building the result data sets); only the HTTP and JSON layers are left out.
/// </summary>
internal static class QueryLatencies
{
    private const int Page = 100;

    public static IReadOnlyList<SearchKind> Kinds(SyntheticIndex index)
    {
        var clinic = new ArchiveCaller("scale-technologist", SyntheticIndex.ClinicId, ArchiveRoles.Technologist, "DICOMweb", "127.0.0.1");
        var centre = new ArchiveCaller("scale-radiologist", SyntheticIndex.CentreId, ArchiveRoles.Radiologist, "DICOMweb", "127.0.0.1");
        var clinicStudies = index.Studies.Where(s => s.OrganizationId == SyntheticIndex.ClinicId).ToArray();
        StudyRow AnyStudy(Random r) => clinicStudies[r.Next(clinicStudies.Length)];
        static KeyValuePair<string, string> P(string k, string v) => new(k, v);
        var limit = P("limit", Page.ToString(CultureInfo.InvariantCulture));
        var surnames = SyntheticIndex.LatinSurnamePrefixes;
        var hanzi = SyntheticIndex.ChineseSurnameCharacters;
        var modalities = SyntheticIndex.ModalityCodes;
        string Month(Random r) => string.Create(CultureInfo.InvariantCulture, $"{2015 + r.Next(11)}{1 + r.Next(12):D2}");
        return
        [
            new("study: PatientName=prefix*", "PatientName=Müller*&limit=100", clinic, r => new(QueryLevel.Study, [P("PatientName", surnames[r.Next(surnames.Count)] + "*"), limit])),
            new("study: PatientName=*substring*", "PatientName=*张*&limit=100", clinic, r => new(QueryLevel.Study, [P("PatientName", "*" + hanzi[r.Next(hanzi.Count)] + "*"), limit])),
            new("study: StudyDate=one month", "StudyDate=20190301-20190331&limit=100", clinic, r => { var m = Month(r); return new(QueryLevel.Study, [P("StudyDate", $"{m}01-{m}31"), limit]); }),
            new("study: ModalitiesInStudy", "ModalitiesInStudy=MR&limit=100", clinic, r => new(QueryLevel.Study, [P("ModalitiesInStudy", modalities[r.Next(modalities.Count)]), limit])),
            new("study: ModalitiesInStudy + one year", "ModalitiesInStudy=MG&StudyDate=2021…&limit=100", clinic, r => { var y = 2015 + r.Next(11); return new(QueryLevel.Study, [P("ModalitiesInStudy", modalities[r.Next(modalities.Count)]), P("StudyDate", $"{y}0101-{y}1231"), limit]); }),
            new("study: AccessionNumber", "AccessionNumber=A00012345", clinic, r => new(QueryLevel.Study, [P("AccessionNumber", AnyStudy(r).AccessionNumber)])),
            new("study: PatientID", "PatientID=P0001234", clinic, r => new(QueryLevel.Study, [P("PatientID", AnyStudy(r).Patient.PatientId)])),
            new("study: StudyInstanceUID", "StudyInstanceUID=…", clinic, r => new(QueryLevel.Study, [P("StudyInstanceUID", AnyStudy(r).StudyInstanceUid)])),
            new("study: worklist page (newest 100)", "limit=100", clinic, _ => new(QueryLevel.Study, [limit])),
            new("study: centre reader, shared + own, newest 100", "limit=100 (centre radiologist)", centre, _ => new(QueryLevel.Study, [limit])),
            new("study: centre reader, PatientName=prefix*", "PatientName=Wang*&limit=100 (centre)", centre, r => new(QueryLevel.Study, [P("PatientName", surnames[r.Next(surnames.Count)] + "*"), limit])),
            new("series of a study", "/studies/{uid}/series", clinic, r => new(QueryLevel.Series, [], AnyStudy(r).StudyInstanceUid)),
            new("instances of a series", "/studies/{uid}/series/{uid}/instances", clinic, r =>
            {
                var study = AnyStudy(r);
                return new(QueryLevel.Image, [], study.StudyInstanceUid, index.SeriesOf(study.Id, 1 + r.Next((int)(index.SeriesCount / index.Studies.Count))).SeriesInstanceUid);
            }),
        ];
    }

    public static async Task<List<Latency>> MeasureAsync(ArchiveLocation location, IReadOnlyList<SearchKind> kinds, int runs, TextWriter log, CancellationToken ct)
    {
        var factory = new PooledDbContextFactory<ArchiveDbContext>(ArchiveDatabase.Options(location));
        var engine = new ArchiveQueryService(new InstanceFileStore(location));
        var results = new List<Latency>();
        foreach (var kind in kinds)
        {
            var random = new Random(42);
            var times = new List<double>(runs);
            long matched = 0;
            const int warmUp = 5;
            for (var i = 0; i < runs + warmUp; i++)
            {
                var search = kind.Next(random);
                var started = Stopwatch.GetTimestamp();
                var query = QidoQueryParser.Parse(search.Level, search.Parameters, search.Study, search.Series);
                await using var db = await factory.CreateDbContextAsync(ct).ConfigureAwait(false);
                var result = await engine.FindAsync(db, kind.Caller, query, ct).ConfigureAwait(false);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i < warmUp) continue;
                times.Add(ms);
                matched += result.Matches.Count;
            }
            times.Sort();
            var latency = new Latency(kind.Name, kind.Example, Percentile(times, 50), Percentile(times, 95), times[^1], (double)matched / runs, runs);
            results.Add(latency);
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {kind.Name,-50} p50 {latency.P50,7:F2} ms  p95 {latency.P95,7:F2} ms  max {latency.Max,7:F1} ms  ~{latency.MeanResults:F0} results")).ConfigureAwait(false);
        }
        return results;
    }

    /// <summary>The SQL of each kind's first search, for EXPLAIN when a figure misses its goal.</summary>
    public static IEnumerable<(string Name, string Sql)> Sql(ArchiveLocation location, IReadOnlyList<SearchKind> kinds)
    {
        using var db = ArchiveDatabase.Open(location);
        foreach (var kind in kinds)
        {
            var search = kind.Next(new Random(42));
            yield return (kind.Name, ArchiveQueryService.ToQueryString(db, kind.Caller, QidoQueryParser.Parse(search.Level, search.Parameters, search.Study, search.Series)));
        }
    }

    private static double Percentile(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Round(p / 100.0 * (sorted.Count - 1)), 0, sorted.Count - 1)];
}
