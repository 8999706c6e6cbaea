namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>
/// Synthetic hostile files that mutating a sample does not produce: 10,000-level nesting in every length form, and
/// deflate bombs. Each goes through the same checks as the mutated samples (every read path, then consumers).
/// </summary>
public sealed class HostileFileTests
{
    public static TheoryData<bool, bool, bool> NestingForms => new()
    {
        { true, true, false },   // explicit VR, undefined lengths
        { true, false, false },  // explicit VR, defined lengths
        { false, true, false },  // implicit VR, undefined lengths
        { false, false, false }, // implicit VR, defined lengths
        { true, true, true },    // UN of undefined length read as a sequence, implicit inside
    };

    [Theory]
    [MemberData(nameof(NestingForms))]
    public void Ten_thousand_nested_sequences_are_refused_strictly_and_cut_at_MaxDepth_leniently(bool explicitVR, bool undefinedLength, bool asUN)
    {
        var bytes = HostileFiles.NestedSequences(10_000, explicitVR, undefinedLength, asUN);
        var input = new HostileInput($"10,000 nested sequences (explicit {explicitVR}, undefined {undefinedLength}, UN {asUN})", bytes);

        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes)));
        Assert.Contains("nested deeper than 64 levels", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new DicomTag(0x0040, 0xA730), ex.Tag);
        Assert.True(ex.Offset > 132);

        var lenient = DicomFile.Read(new MemoryStream(bytes), new DicomReadOptions { Lenient = true });
        Assert.False(lenient.IsComplete);
        Assert.Contains(lenient.Warnings, w => w.Contains("nested deeper than 64", StringComparison.Ordinal));
        Assert.Equal(64, NestingDepth(lenient.Dataset));

        HostileInputCheck.AssertBehaves(input, ExtraPaths.Pipe | ExtraPaths.File, new HostileInputCheck.Tally(), Path.GetTempPath());
    }

    [Theory]
    [MemberData(nameof(NestingForms))]
    public void Nesting_exactly_at_MaxDepth_is_read_and_one_more_level_is_refused(bool explicitVR, bool undefinedLength, bool asUN)
    {
        var options = new DicomReadOptions { MaxDepth = 10 };
        var atLimit = DicomFile.Read(new MemoryStream(HostileFiles.NestedSequences(10, explicitVR, undefinedLength, asUN)), options);
        Assert.True(atLimit.IsComplete);
        Assert.Equal(10, NestingDepth(atLimit.Dataset));

        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(HostileFiles.NestedSequences(11, explicitVR, undefinedLength, asUN)), options));
        Assert.Contains("nested deeper than 10 levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deflate_bomb_of_many_small_elements_stops_at_MaxInflatedLength()
    {
        // 32 MiB of 4 KiB elements compressed to ~35 KB; every length is honest, only the total is hostile.
        var bomb = HostileFiles.DeflateBombManyElements(32L << 20);
        Assert.True(bomb.Length < 1 << 20, $"the bomb is {bomb.Length} bytes");
        var options = new DicomReadOptions { MaxInflatedLength = 2L << 20 };

        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bomb), options));
        // The element that would cross the limit is refused by its claimed length before its bytes are inflated.
        Assert.Contains("past the limit of 2097152 inflated bytes (DicomReadOptions.MaxInflatedLength)", ex.Message, StringComparison.Ordinal);

        var lenient = DicomFile.Read(new MemoryStream(bomb), options with { Lenient = true });
        Assert.False(lenient.IsComplete);
        Assert.Contains(lenient.Warnings, w => w.Contains("MaxInflatedLength", StringComparison.Ordinal));
        Assert.True(lenient.Dataset.Count > 400, "the elements before the limit are kept");

        HostileInputCheck.AssertBehaves(new HostileInput("deflate bomb, 32 MiB of small elements, limit 2 MiB", bomb, options), ExtraPaths.Pipe, new HostileInputCheck.Tally());
    }

    [Fact]
    public void Deflate_bomb_whose_element_claims_more_than_MaxInflatedLength_is_refused_before_inflating()
    {
        // Default limit (1 GiB): the claim alone decides, so nothing close to it is inflated or allocated.
        var bomb = HostileFiles.DeflateBombOneElement(claimed: 0xC0000000, actual: 4L << 20);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bomb)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16L << 20);
        Assert.Contains("claims 3221225472 bytes, past the limit of 1073741824 inflated bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new DicomTag(0x0009, 0x1010), ex.Tag);

        HostileInputCheck.AssertBehaves(new HostileInput("deflate bomb, one element claiming 3 GiB", bomb), ExtraPaths.Pipe, new HostileInputCheck.Tally());
    }

    [Fact]
    public void Deflated_data_within_MaxInflatedLength_still_reads()
    {
        var bytes = File.ReadAllBytes(TestPaths.Sample("image_dfl.dcm"));
        var file = DicomFile.Read(new MemoryStream(bytes), new DicomReadOptions { MaxInflatedLength = 262_682 });
        Assert.True(file.IsComplete);
        Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes), new DicomReadOptions { MaxInflatedLength = 262_681 }));
    }

    [Fact]
    public void Deflate_bomb_inflating_past_the_limit_from_a_pipe_is_refused_too()
    {
        var bomb = HostileFiles.DeflateBombOneElement(claimed: 16u << 20, actual: 16L << 20);
        var options = new DicomReadOptions { MaxInflatedLength = 4L << 20 };
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bomb), options));
        Assert.Contains("MaxInflatedLength", ex.Message, StringComparison.Ordinal);
    }

    internal static int NestingDepth(DicomDataset root)
    {
        var depth = 0;
        var level = root;
        while (level.FirstOrDefault(e => e is DicomSequence) is DicomSequence { Items.Count: > 0 } s)
        {
            depth++;
            level = s.Items[0];
        }
        if (level.FirstOrDefault(e => e is DicomSequence) is DicomSequence) depth++;
        return depth;
    }
}
