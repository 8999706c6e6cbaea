namespace RadBridge.Benchmarks;

/// <summary>
/// The CT slice the micro-benchmarks work on: $RADBRIDGE_BENCH_CT, which bench/micro.sh sets to one slice of the
/// 512x512 CT series that bench/parse-throughput.sh generates (so micro and end-to-end figures describe the same file).
/// </summary>
internal static class BenchInput
{
    public const string Variable = "RADBRIDGE_BENCH_CT";

    public static string CtSlicePath()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException($"set {Variable} to a CT slice (bench/micro.sh does it for you)");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{Variable} names a file that does not exist: {path}", path);
        return path;
    }
}
