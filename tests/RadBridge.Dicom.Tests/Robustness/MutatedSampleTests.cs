using System.Collections.Concurrent;
using System.Globalization;
using Xunit.Abstractions;

namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>
/// Deterministic fuzzing: thousands of damaged variants of real samples, each read strictly and leniently (sync and
/// async, some from a pipe and from a file) and then used as a consumer would. Only DicomExceptions may escape, each
/// input must finish in 2 s and allocate under 64 MiB. The seed is fixed so a failure reproduces; set
/// RADBRIDGE_FUZZ_SEED to explore other inputs and RADBRIDGE_FUZZ_COUNT for more per sample.
/// </summary>
public sealed class MutatedSampleTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261123;
    private const int DefaultPerSample = 800;

    public static TheoryData<string> Samples =>
    [
        "CT_small.dcm",                 // explicit VR LE, preamble, 39 KB
        "MR_small.dcm",                 // explicit VR LE
        "MR_small_bigendian.dcm",       // explicit VR big endian
        "MR_small_implicit.dcm",        // implicit VR LE
        "rtstruct.dcm",                 // implicit, no File Meta, nested sequences
        "rtplan.dcm",                   // deeply nested sequences
        "test-SR.dcm",                  // many nested content sequences
        "report_dfl.dcm",               // deflated
        "image_dfl.dcm",                // deflated image
        "JPEGBaseline_1s_1f_u_08_08.dcm", // encapsulated JPEG
        "SC_rgb_small_odd_jpeg.dcm",    // encapsulated JPEG, odd sizes
        "UN_sequence.dcm",              // UN with undefined length read as a sequence
        "ExplVR_LitEndNoMeta.dcm",      // raw explicit data set without File Meta
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Mutations_of_a_sample_fail_only_with_DicomExceptions_quickly_and_in_bounded_memory(string sample)
    {
        var seed = Setting("RADBRIDGE_FUZZ_SEED", DefaultSeed);
        var count = Setting("RADBRIDGE_FUZZ_COUNT", DefaultPerSample);
        var mutator = new Mutator(sample, File.ReadAllBytes(TestPaths.Sample(sample)));
        Assert.True(mutator.HeaderCount > 5, $"the element map found only {mutator.HeaderCount} headers in {sample}");

        var tempDir = Directory.CreateTempSubdirectory("radbridge-fuzz-").FullName;
        var failures = new ConcurrentQueue<string>();
        var total = new HostileInputCheck.Tally();
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => new HostileInputCheck.Tally(),
                (index, _, tally) =>
                {
                    var input = mutator.Make(seed, index);
                    var extra = (index % 7 == 0 ? ExtraPaths.Pipe : 0) | (index % 13 == 0 ? ExtraPaths.File : 0);
                    if (HostileInputCheck.Check(input, extra, tally, tempDir) is { } failure) failures.Enqueue(failure);
                    return tally;
                },
                total.Add);
        }
        finally
        {
            Directory.Delete(tempDir, recursive: true);
        }

        output.WriteLine($"{sample}, seed {seed}: {total}");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {count} inputs misbehaved (seed {seed}); first ones:\n" + string.Join("\n\n", failures.Take(5)));
        // The mutations must reach both outcomes, or they test nothing.
        Assert.True(total.StrictRejected > count / 10, $"only {total.StrictRejected} of {count} mutations were rejected: {total}");
        Assert.True(total.LenientRead > count / 10, $"only {total.LenientRead} of {count} mutations were read leniently: {total}");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
