using System.Globalization;

namespace RadBridge.ArchiveScale;

internal sealed record Options(string? SqliteDirectory, string? PostgresConnectionString, int Studies, int SeriesPerStudy, int InstancesPerSeries, int Runs, string? Out, string? SqlOut)
{
    public static Options? Parse(string[] args)
    {
        var o = new Options(null, null, 20_000, 5, 10, 200, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive integer");
            switch (args[i])
            {
                case "--sqlite": o = o with { SqliteDirectory = Next() }; break;
                case "--pg": o = o with { PostgresConnectionString = Next() }; break;
                case "--studies": o = o with { Studies = Count() }; break;
                case "--series": o = o with { SeriesPerStudy = Count() }; break;
                case "--instances": o = o with { InstancesPerSeries = Count() }; break;
                case "--runs": o = o with { Runs = Count() }; break;
                case "--out": o = o with { Out = Next() }; break;
                case "--sql-out": o = o with { SqlOut = Next() }; break;
                default: return null;
            }
        }
        return o;
    }
}
