using System.Diagnostics;
using System.Globalization;
using RadBridge.Archive.Audit;

namespace RadBridge.Archive.Tests.Audit;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off): <c>dotnet RadBridge.Archive.Tests.dll
/// audit-writer DIR COUNT PARALLEL ACTOR</c> appends COUNT events from PARALLEL concurrent callers, so tests can run
/// real separate writer processes against one audit directory. Prints the elapsed milliseconds.
/// </summary>
internal static class AuditWriterProcess
{
    public static int Main(string[] args)
    {
        if (args is not ["audit-writer", var directory, var countText, var parallelText, var actor]) return 2;
        var count = int.Parse(countText, CultureInfo.InvariantCulture);
        var parallel = int.Parse(parallelText, CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        Run(directory, count, parallel, actor).GetAwaiter().GetResult();
        Console.WriteLine(clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task Run(string directory, int count, int parallel, string actor)
    {
        var log = new HashChainedAuditLog(directory);
        await using (log)
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = parallel },
                async (i, ct) => await log.RecordAsync(AuditTestLog.Event(i, actor: actor), ct));
        }
    }

    /// <summary>Starts the writer as a separate process.</summary>
    public static Process Start(string directory, int count, int parallel, string actor)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(AuditWriterProcess).Assembly.Location);
        foreach (var a in new[] { "audit-writer", directory, count.ToString(CultureInfo.InvariantCulture), parallel.ToString(CultureInfo.InvariantCulture), actor })
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
    }
}
