using BenchmarkDotNet.Attributes;
using RadBridge.Dicom;

namespace RadBridge.Benchmarks;

/// <summary>Reading one 512x512 CT slice: from memory (header only, everything) and from its file (lazy, header only).</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private static readonly DicomReadOptions StopBeforePixels = new() { StopBeforePixelData = true };

    private string _path = "";
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchInput.CtSlicePath();
        _bytes = File.ReadAllBytes(_path);
    }

    /// <summary>Header of a slice received in memory (for example a C-STORE or STOW-RS body), stopping before the pixels.</summary>
    [Benchmark(Baseline = true)]
    public DicomFile HeaderFromMemory() => DicomFile.Read(new MemoryStream(_bytes, writable: false), StopBeforePixels);

    /// <summary>Every element of a slice in memory, pixel data included (copied out of the stream).</summary>
    [Benchmark]
    public DicomFile FullFromMemory() => DicomFile.Read(new MemoryStream(_bytes, writable: false));

    /// <summary>A slice from its file, pixel data left on disk (the default DicomFile.Open).</summary>
    [Benchmark]
    public DicomFile LazyFromFile() => DicomFile.Open(_path);

    /// <summary>A slice from its file, stopping before the pixel data (what indexing needs).</summary>
    [Benchmark]
    public DicomFile StopBeforePixelDataFromFile() => DicomFile.Open(_path, StopBeforePixels);

    /// <summary>A slice from its file with its pixel data then loaded.</summary>
    [Benchmark]
    public int FullFromFile()
    {
        var file = DicomFile.Open(_path);
        return file.Dataset[DicomTags.PixelData] is DicomValueElement pixels ? pixels.Buffer.GetMemory().Length : 0;
    }
}
