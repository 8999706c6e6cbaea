namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>The samples a writer must reproduce: not marked "Odd:" in MANIFEST.tsv and readable without leniency.</summary>
internal static class ConformantSamples
{
    private static readonly Lazy<IReadOnlyList<string>> Names = new(() =>
    [
        .. SampleCorpus.Files
            .Where(f => !SampleCorpus.IsOdd(f) && SampleCorpus.TryOpen(f, out _, out _))
            .Select(f => Path.GetFileName(f)),
    ]);

    public static IReadOnlyList<string> All => Names.Value;

    /// <summary>Conformant samples whose pixel data (if any) is native, so any uncompressed transfer syntax can hold them.</summary>
    public static IReadOnlyList<string> Native =>
        [.. All.Where(n => !DicomFile.Open(TestPaths.Sample(n), new DicomReadOptions { StopBeforePixelData = true }).TransferSyntax.IsEncapsulated)];

    public static TheoryData<string> AllRows() => new(All);

    public static TheoryData<string> NativeRows() => new(Native);
}
