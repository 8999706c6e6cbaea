using BenchmarkDotNet.Running;

namespace RadBridge.Benchmarks;

internal static class Program
{
    // BenchmarkSwitcher gives the usual BenchmarkDotNet command line (--filter, --job short, --list flat, ...).
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
