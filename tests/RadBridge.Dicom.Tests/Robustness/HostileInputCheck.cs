using System.Diagnostics;
using System.IO.Pipelines;

namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>Which ways of reading a hostile input are tried, beyond the four stream reads every input gets.</summary>
[Flags]
internal enum ExtraPaths
{
    None = 0,
    /// <summary>DicomFile.ReadAsync(PipeReader): a source of unknown length, fed in small chunks.</summary>
    Pipe = 1,
    /// <summary>DicomFile.Open on a temporary file with a tiny lazy threshold: lengths checked against the file, values left on disk.</summary>
    File = 2,
}

/// <summary>
/// Reads one hostile input every way a caller can (strict and lenient, synchronous and asynchronous from a stream,
/// optionally from a pipe and a file), then does what a consumer does next with whatever was read (walk every element,
/// decode text, serialise to DICOM JSON and XML, clone, write back). Fails when anything but a
/// <see cref="DicomException"/> escapes, when the input takes too long or when it allocates too much.
/// </summary>
internal static class HostileInputCheck
{
    /// <summary>Per input, all paths together.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);

    /// <summary>Bytes the checking thread may allocate per input in each read or consumer step (inputs are at most ~300 KB inflated).</summary>
    public const long AllocationLimit = 64L << 20;

    /// <summary>Outcome counts, to show the suite reaches both success and failure paths.</summary>
    public sealed class Tally
    {
        public int Inputs;
        public int StrictRead;
        public int StrictRejected;
        public int LenientRead;
        public int LenientIncomplete;
        public double SlowestMilliseconds;
        public string Slowest = "";
        public long MostAllocated;

        public void Add(Tally other)
        {
            lock (this)
            {
                if (other.SlowestMilliseconds > SlowestMilliseconds)
                {
                    SlowestMilliseconds = other.SlowestMilliseconds;
                    Slowest = other.Slowest;
                }
                MostAllocated = Math.Max(MostAllocated, other.MostAllocated);
            }
            Interlocked.Add(ref Inputs, other.Inputs);
            Interlocked.Add(ref StrictRead, other.StrictRead);
            Interlocked.Add(ref StrictRejected, other.StrictRejected);
            Interlocked.Add(ref LenientRead, other.LenientRead);
            Interlocked.Add(ref LenientIncomplete, other.LenientIncomplete);
        }

        public override string ToString() =>
            $"{Inputs} inputs: strict read {StrictRead}, rejected {StrictRejected}; lenient read {LenientRead} ({LenientIncomplete} incomplete); slowest {SlowestMilliseconds:F0} ms [{Slowest}], most allocated by one step {MostAllocated >> 10} KiB";
    }

    /// <summary>Checks one input; returns a failure description, or null when it behaved.</summary>
    public static string? Check(HostileInput input, ExtraPaths extra, Tally tally, string? tempDir = null)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var stage = "start";
        var stages = new List<string>();
        var stageClock = Stopwatch.StartNew();
        var stageAllocatedBefore = allocatedBefore;
        long mostAllocated = 0;
        var mostAllocatedStage = "";
        void Mark(string next)
        {
            var now = GC.GetAllocatedBytesForCurrentThread();
            if (now - stageAllocatedBefore > mostAllocated)
            {
                mostAllocated = now - stageAllocatedBefore;
                mostAllocatedStage = stage;
            }
            stageAllocatedBefore = now;
            stages.Add($"{stage} {stageClock.Elapsed.TotalMilliseconds:F0} ms");
            stageClock.Restart();
            stage = next;
        }
        try
        {
            tally.Inputs++;
            var strict = input.Options ?? DicomReadOptions.Default;
            var lenient = strict with { Lenient = true };

            Mark("strict read (sync, stream)");
            var strictFile = TryRead(() => DicomFile.Read(new MemoryStream(input.Bytes, writable: false), strict));
            if (strictFile is null) tally.StrictRejected++;
            else tally.StrictRead++;

            Mark("strict read (async, stream)");
            var strictAsync = TryRead(() => DicomFile.ReadAsync(new MemoryStream(input.Bytes, writable: false), strict).GetAwaiter().GetResult());
            if ((strictFile is null) != (strictAsync is null)) return Fail(input, stage, "synchronous and asynchronous strict reads disagree on whether the input is readable");

            Mark("lenient read (sync, stream)");
            var lenientFile = TryRead(() => DicomFile.Read(new MemoryStream(input.Bytes, writable: false), lenient));
            Mark("lenient read (async, stream)");
            _ = TryRead(() => DicomFile.ReadAsync(new MemoryStream(input.Bytes, writable: false), lenient).GetAwaiter().GetResult());
            if (lenientFile is not null)
            {
                tally.LenientRead++;
                if (!lenientFile.IsComplete) tally.LenientIncomplete++;
            }
            if (strictFile is not null && lenientFile is null)
                return Fail(input, stage, "strict reading succeeded but lenient reading failed");

            if ((extra & ExtraPaths.Pipe) != 0)
            {
                Mark("strict read (async, pipe)");
                var piped = TryRead(() => ReadFromPipe(input.Bytes, strict));
                if ((piped is null) != (strictFile is null)) return Fail(input, stage, "reading from a pipe and from a stream disagree on whether the input is readable");
                Mark("lenient read (async, pipe)");
                _ = TryRead(() => ReadFromPipe(input.Bytes, lenient));
            }

            DicomFile? onDisk = null;
            if ((extra & ExtraPaths.File) != 0 && tempDir is not null)
            {
                var path = Path.Combine(tempDir, Guid.NewGuid().ToString("N") + ".dcm");
                File.WriteAllBytes(path, input.Bytes);
                try
                {
                    Mark("strict open (file, lazy values)");
                    _ = TryRead(() => DicomFile.Open(path, strict with { LazyThreshold = 16 }));
                    Mark("lenient open (file, lazy values)");
                    onDisk = TryRead(() => DicomFile.Open(path, lenient with { LazyThreshold = 16 }));
                    if (onDisk is not null)
                    {
                        Mark("consume (file)");
                        Consume(onDisk);
                    }
                }
                finally
                {
                    File.Delete(path);
                }
            }

            if (lenientFile is not null)
            {
                Mark("consume (lenient)");
                Consume(lenientFile);
            }
            if (strictFile is not null)
            {
                Mark("consume (strict)");
                Consume(strictFile);
            }
        }
        catch (Exception ex) when (ex is not DicomException)
        {
            return Fail(input, stage, $"{ex.GetType().FullName} escaped: {ex.Message}\n{ex.StackTrace}");
        }
        catch (DicomException ex) when (stage.StartsWith("consume", StringComparison.Ordinal))
        {
            // A consumer may be refused (e.g. a value that cannot be encoded), but only with a DicomException.
            _ = ex;
        }
        Mark("end");
        clock.Stop();
        var allocated = mostAllocated;
        if (clock.Elapsed.TotalMilliseconds > tally.SlowestMilliseconds)
        {
            tally.SlowestMilliseconds = clock.Elapsed.TotalMilliseconds;
            tally.Slowest = input.Description;
        }
        tally.MostAllocated = Math.Max(tally.MostAllocated, allocated);
        if (clock.Elapsed > TimeLimit) return Fail(input, "all", $"took {clock.Elapsed.TotalMilliseconds:F0} ms (limit {TimeLimit.TotalMilliseconds:F0} ms): {string.Join(", ", stages)}");
        if (allocated > AllocationLimit) return Fail(input, "all", $"{mostAllocatedStage} allocated {allocated >> 20} MiB (limit {AllocationLimit >> 20} MiB)");
        return null;
    }

    /// <summary>Fails the test with the full description when the input misbehaves.</summary>
    public static void AssertBehaves(HostileInput input, ExtraPaths extra, Tally tally, string? tempDir = null)
    {
        var failure = Check(input, extra, tally, tempDir);
        Assert.True(failure is null, failure);
    }

    private static DicomFile? TryRead(Func<DicomFile> read)
    {
        try
        {
            return read();
        }
        catch (DicomException ex)
        {
            if (string.IsNullOrWhiteSpace(ex.Message)) throw new InvalidOperationException("a DicomException without a message");
            return null;
        }
    }

    private static DicomFile ReadFromPipe(byte[] bytes, DicomReadOptions options)
    {
        var reader = PipeReader.Create(new MemoryStream(bytes, writable: false), new StreamPipeReaderOptions(bufferSize: 997, minimumReadSize: 512));
        try
        {
            return DicomFile.ReadAsync(reader, options).GetAwaiter().GetResult();
        }
        finally
        {
            reader.Complete();
        }
    }

    /// <summary>What a consumer does with a file it was given.</summary>
    public static void Consume(DicomFile file)
    {
        var pending = new Stack<DicomDataset>();
        pending.Push(file.FileMetaInformation);
        pending.Push(file.Dataset);
        var elements = 0;
        while (pending.Count > 0)
        {
            var ds = pending.Pop();
            foreach (var e in ds)
            {
                elements++;
                switch (e)
                {
                    case DicomSequence s:
                        foreach (var item in s.Items) pending.Push(item);
                        break;
                    case DicomValueElement v when v.VR.IsText():
                        _ = ds.GetString(v.Tag);
                        _ = ds.GetStrings(v.Tag);
                        break;
                    case DicomValueElement v:
                        _ = v.Buffer.GetMemory();
                        break;
                    case DicomFragmentSequence f:
                        _ = f.GetBasicOffsets();
                        foreach (var fragment in f.Fragments) _ = fragment.GetMemory();
                        break;
                }
            }
        }
        _ = DicomJson.SerializeToUtf8Bytes(file.Dataset);
        _ = DicomXml.SerializeToUtf8Bytes(file.Dataset);
        var clone = file.Dataset.Clone();
        var copy = new DicomFile(clone, file.TransferSyntax);
        var output = new MemoryStream();
        copy.WriteTo(output);
        _ = elements;
    }

    private static string Fail(HostileInput input, string stage, string problem) =>
        $"[{input.Description}] {stage}: {problem}";
}
