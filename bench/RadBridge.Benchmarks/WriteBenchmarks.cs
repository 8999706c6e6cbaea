using BenchmarkDotNet.Attributes;
using RadBridge.Dicom;

namespace RadBridge.Benchmarks;

/// <summary>Encoding one 512x512 CT slice: as a Part 10 file in memory and as DICOM JSON.</summary>
[MemoryDiagnoser]
public class WriteBenchmarks : IDisposable
{
    private DicomFile _full = null!;
    private DicomFile _header = null!;
    private MemoryStream _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bytes = File.ReadAllBytes(BenchInput.CtSlicePath());
        _full = DicomFile.Read(new MemoryStream(bytes, writable: false));
        _header = DicomFile.Read(new MemoryStream(bytes, writable: false), new DicomReadOptions { StopBeforePixelData = true });
        _sink = new MemoryStream(bytes.Length + 4096);
    }

    /// <summary>The whole slice, pixel data included, written to a reused memory stream.</summary>
    [Benchmark]
    public long WriteToMemory()
    {
        _sink.Position = 0;
        _full.WriteTo(_sink);
        return _sink.Position;
    }

    /// <summary>The slice's header as DICOM JSON (what QIDO-RS and WADO-RS metadata return per instance).</summary>
    [Benchmark]
    public byte[] HeaderToDicomJson() => DicomJson.SerializeToUtf8Bytes(_header.Dataset);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _sink?.Dispose();
    }
}
