using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RadBridge.Dicom;

namespace RadBridge.ParseBench;

/// <summary>
/// Parse harness for bench/parse-throughput.sh. Prints one JSON object per run on stdout so the script can put the
/// figures next to pydicom's and DCMTK's, measured the same way (one process, warm page cache, a warm-up pass).
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage:
          radbridge-parsebench throughput --mode header|lazy|full [--reps N] [--warmup-seconds S] FILE|DIR...
              header  stop before pixel data (DicomReadOptions.StopBeforePixelData)
              lazy    whole data set, pixel data left on disk (the default DicomFile.Open)
              full    whole data set and the pixel data loaded into memory
          radbridge-parsebench header-rss [--stop-before-pixels] FILE
              read the header of FILE (pixel data left on disk) and report the peak RSS (VmHWM)
          radbridge-parsebench baseline-rss
              the peak RSS of this program doing nothing (the runtime's own footprint)
        """;

    private static int Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "throughput" => Throughput(args[1..]),
                "header-rss" => HeaderRss(args[1..]),
                "baseline-rss" => Print(new { tool = "radbridge", mode = "baseline", peakRssKiB = PeakRss.KiB() }),
                _ => Fail(Usage),
            };
        }
        catch (DicomException ex)
        {
            return Fail("error: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Fail("error: " + ex.Message + Environment.NewLine + Usage);
        }
    }

    private static int Throughput(string[] args)
    {
        var mode = "";
        var reps = 5;
        var warmupSeconds = 2.0;
        var inputs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mode": mode = Value(args, ref i); break;
                case "--reps": reps = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture); break;
                case "--warmup-seconds": warmupSeconds = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture); break;
                default: inputs.Add(args[i]); break;
            }
        }
        if (mode is not ("header" or "lazy" or "full")) throw new ArgumentException($"unknown mode '{mode}'");
        if (reps < 1) throw new ArgumentException("--reps must be at least 1");
        var files = Expand(inputs);
        if (files.Count == 0) throw new ArgumentException("no input files");
        var bytes = files.Sum(f => new FileInfo(f).Length);

        var pass = mode switch
        {
            "header" => (Func<string, long>)ParseHeader,
            "lazy" => ParseLazy,
            _ => ParseFull,
        };
        // Untimed passes for a while first (the same policy for every tool): the JIT's tiers settle after a few
        // hundred milliseconds of running, and a long-lived reader (an archive) runs in that steady state.
        var check = RunPass(files, pass);
        for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < warmupSeconds;) check = RunPass(files, pass);
        var seconds = new List<double>(reps);
        var cpuSeconds = new List<double>(reps);
        var allocated = 0L;
        for (var i = 0; i < reps; i++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            var c = RunPass(files, pass);
            seconds.Add(sw.Elapsed.TotalSeconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            cpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            if (c != check) throw new InvalidOperationException($"repetition {i} parsed {c} elements, the warm-up {check}");
            check = c;
        }
        // CPU time next to wall-clock time: on a shared machine the CPU-time ratio is the steadier one.
        return Print(new { tool = "radbridge", mode, files = files.Count, bytes, elements = check, seconds, cpuSeconds, allocatedPerFile = allocated / files.Count });
    }

    private static long RunPass(List<string> files, Func<string, long> parse)
    {
        long elements = 0;
        foreach (var f in files) elements += parse(f);
        return elements;
    }

    private static readonly DicomReadOptions StopBeforePixels = new() { StopBeforePixelData = true };

    private static long ParseHeader(string path)
    {
        var file = DicomFile.Open(path, StopBeforePixels);
        if (file.Dataset.Contains(DicomTags.PixelData)) throw new InvalidOperationException($"{path}: pixel data read despite StopBeforePixelData");
        return RequireInstance(path, file);
    }

    private static long ParseLazy(string path)
    {
        var file = DicomFile.Open(path);
        if (file.Dataset[DicomTags.PixelData] is not DicomValueElement { Buffer.IsLazy: true })
            throw new InvalidOperationException($"{path}: no lazy native pixel data");
        return RequireInstance(path, file);
    }

    private static long ParseFull(string path)
    {
        var file = DicomFile.Open(path);
        if (file.Dataset[DicomTags.PixelData] is not DicomValueElement pixels)
            throw new InvalidOperationException($"{path}: no native pixel data");
        var bytes = pixels.Buffer.GetMemory().Span;
        // Touch the loaded bytes (first and last) so the load cannot be anything but real.
        if (bytes.Length != pixels.Length || bytes[0] + bytes[^1] < 0) throw new InvalidOperationException($"{path}: short pixel data");
        return RequireInstance(path, file);
    }

    private static int RequireInstance(string path, DicomFile file)
    {
        if (string.IsNullOrEmpty(file.Dataset.GetString(DicomTags.SOPInstanceUID)))
            throw new InvalidOperationException($"{path}: no SOP Instance UID");
        return file.Dataset.Count;
    }

    private static int HeaderRss(string[] args)
    {
        var stop = args.Contains("--stop-before-pixels");
        var path = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SingleOrDefault()
            ?? throw new ArgumentException("header-rss needs one FILE");
        var file = DicomFile.Open(path, stop ? StopBeforePixels : null);
        var pixelLength = file.Dataset[DicomTags.PixelData] is DicomValueElement e ? e.Length : 0;
        var rows = file.Dataset.GetString(DicomTags.Rows);
        return Print(new
        {
            tool = "radbridge",
            mode = stop ? "header-rss-stop" : "header-rss-lazy",
            fileBytes = new FileInfo(path).Length,
            pixelLength,
            elements = file.Dataset.Count,
            rows,
            peakRssKiB = PeakRss.KiB(),
        });
    }

    private static List<string> Expand(List<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else if (File.Exists(input))
                files.Add(input);
            else
                throw new ArgumentException($"no such file or folder: {input}");
        }
        return files;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");

    private static int Print(object result)
    {
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
