namespace RadBridge.ParseBench;

/// <summary>The process's peak resident set size as the kernel counts it (VmHWM in /proc/self/status).</summary>
internal static class PeakRss
{
    public static long KiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var fields = line["VmHWM:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("/proc/self/status has no VmHWM line (not Linux?)");
    }
}
