using System.Globalization;
using System.Text;

namespace RadBridge.ArchiveScale;

internal sealed record BackendResult(string Name, TimeSpan LoadTime, double InstanceRowsPerSecond, double SizeMb, IReadOnlyList<Latency> Latencies, IReadOnlyList<(string Name, string Sql)> Sql);

internal static class Report
{
    // The goals: QIDO p95 at 1M instances.
    private static double GoalMs(string backend) => backend == "PostgreSQL" ? 50 : 20;

    public static string Markdown(SyntheticIndex index, Options options, IReadOnlyList<BackendResult> backends)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"Index: {index.InstanceCount:N0} instances ({index.Studies.Count:N0} studies × {options.SeriesPerStudy} series × {options.InstancesPerSeries} instances), ");
        md.Append(inv, $"{index.Patients.Count:N0} patients, 2 organisations, {index.Shares.Count:N0} shares. ");
        md.Append(inv, $"{options.Runs} runs per query after 5 warm-up runs, each with a different value drawn from the data; caller: a clinic technologist unless noted. ");
        md.Append("Times: parse + pooled context + `ArchiveQueryService.FindAsync` building the result data sets (no HTTP/JSON).\n\n");
        foreach (var b in backends)
        {
            md.Append(inv, $"- {b.Name}: bulk load {b.LoadTime.TotalSeconds:F0} s ({b.InstanceRowsPerSecond:N0} instance rows/s), database {b.SizeMb:N0} MB; goal p95 ≤ {GoalMs(b.Name):F0} ms\n");
        }
        md.Append("\n| query | example | results |");
        foreach (var b in backends) md.Append(inv, $" {b.Name} p50 ms | {b.Name} p95 ms |");
        md.Append("\n|---|---|---|");
        foreach (var _ in backends) md.Append("---|---|");
        md.Append('\n');
        for (var q = 0; q < backends[0].Latencies.Count; q++)
        {
            var first = backends[0].Latencies[q];
            md.Append(inv, $"| {first.Name} | `{first.Example}` | {first.MeanResults:F0} |");
            foreach (var b in backends)
            {
                var l = b.Latencies[q];
                var miss = l.P95 > GoalMs(b.Name) ? " **(miss)**" : "";
                md.Append(inv, $" {l.P50:F2} | {l.P95:F2}{miss} |");
            }
            md.Append('\n');
        }
        return md.ToString();
    }
}
