using System.Buffers.Binary;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests;

public class DicomPixelDataTests
{
    private static readonly DicomTransferSyntax Rle = DicomTransferSyntax.Lookup(RleCodec.TransferSyntaxUid);

    [Fact]
    public async Task A_frame_read_alone_equals_that_frame_of_the_whole_value()
    {
        var file = DicomFile.Open(ExpectedPixels.For("NM-MONO2-16-13x-heart").Path);
        var pixels = DicomPixelData.Create(file);
        Assert.Equal(13, pixels.FrameCount);
        var element = (DicomValueElement)file.Dataset[DicomTags.PixelData]!;
        Assert.True(element.Buffer.IsLazy);
        var whole = element.Buffer.GetMemory();
        Assert.Equal(whole.Slice((int)(12 * pixels.DecodedFrameLength), (int)pixels.DecodedFrameLength).ToArray(), pixels.GetEncodedFrame(12).ToArray());
        Assert.Equal(pixels.GetEncodedFrame(7).ToArray(), (await pixels.GetEncodedFrameAsync(7)).ToArray());
    }

    [Fact]
    public void Big_endian_frames_read_from_an_odd_offset_are_swapped_whole()
    {
        var sample = ExpectedPixels.For("SC_rgb_expb_16bit_2frame");
        Assert.Equal(sample.Sha256, PixelHash.Compute(DicomFile.Open(sample.Path)));
        var pixels = DicomPixelData.Create(DicomFile.Open(sample.Path));
        var element = (DicomValueElement)DicomFile.Open(sample.Path).Dataset[DicomTags.PixelData]!;
        Assert.Equal(element.Buffer.GetMemory().Slice(3, 11).ToArray(), element.Buffer.GetMemory(3, 11).ToArray());
        Assert.Equal(2, pixels.FrameCount);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("basic")]
    [InlineData("extended")]
    [InlineData("split-basic")]
    [InlineData("split-markers")]
    public void Encapsulated_frames_are_found_with_every_kind_of_offset_table(string layout)
    {
        var sample = ExpectedPixels.For("US-PAL-8-10x-echo");
        var file = DicomFile.Open(sample.Path);
        var source = DicomPixelData.Create(file);
        var frames = Enumerable.Range(0, source.FrameCount).Select(f => source.GetEncodedFrame(f).ToArray()).ToList();
        var dataset = file.Dataset.Clone();
        var split = layout.StartsWith("split", StringComparison.Ordinal);
        var fragments = new List<DicomBuffer>();
        var basic = new List<uint>();
        var extended = new List<ulong>();
        long position = 0;
        foreach (var frame in frames)
        {
            basic.Add((uint)position);
            extended.Add((ulong)position);
            var parts = split ? new[] { frame[..(frame.Length / 2 & ~1)], frame[(frame.Length / 2 & ~1)..] } : [frame];
            foreach (var part in parts)
            {
                fragments.Add(DicomBuffer.FromMemory(part));
                position += 8 + part.Length;
            }
        }
        var table = layout is "basic" or "split-basic" ? Bytes(basic, 4) : [];
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.FromMemory(table), fragments));
        if (layout == "extended")
        {
            dataset.AddOrUpdate(new DicomValueElement(DicomTags.ExtendedOffsetTable, DicomVR.OV, DicomBuffer.FromMemory(Bytes(extended, 8))));
            dataset.AddOrUpdate(new DicomValueElement(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV,
                DicomBuffer.FromMemory(Bytes(frames.Select(f => (ulong)f.Length), 8))));
        }
        var pixels = DicomPixelData.Create(dataset, Rle);
        Assert.Equal(frames[9], pixels.GetEncodedFrame(9).ToArray());
        Assert.Equal(sample.Sha256, PixelHash.Compute(pixels));
    }

    [Fact]
    public void Fragments_without_offsets_or_recognisable_starts_are_refused()
    {
        var file = DicomFile.Open(ExpectedPixels.For("US-PAL-8-10x-echo").Path);
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty,
            Enumerable.Range(0, 3).Select(_ => DicomBuffer.FromMemory(new byte[16]))));
        var pixels = DicomPixelData.Create(dataset, Rle);
        var ex = Assert.Throws<DicomException>(() => pixels.GetEncodedFrame(0));
        Assert.Equal("encapsulated Pixel Data has no offset table and 0 of its 3 fragments start a codestream, but Number of Frames is 10", ex.Message);
    }

    [Fact]
    public void One_bit_frames_that_do_not_start_on_a_byte_are_unpacked_from_their_own_bit()
    {
        // Three 3×3 frames: 27 bits, so frames 1 and 2 start inside a byte (PS3.5 §8.1.1).
        var bits = new byte[27];
        for (var i = 0; i < bits.Length; i++) bits[i] = (byte)(i % 4 == 0 || i % 5 == 0 ? 1 : 0);
        var packed = new byte[4];
        for (var i = 0; i < bits.Length; i++) packed[i / 8] |= (byte)(bits[i] << (i % 8));
        var dataset = Image(3, 3, 1, 1, 1, "MONOCHROME2").AddOrUpdate(DicomTags.NumberOfFrames, "3");
        dataset.AddOrUpdate(new DicomValueElement(DicomTags.PixelData, DicomVR.OB, DicomBuffer.FromMemory(packed)));
        var pixels = DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        for (var f = 0; f < 3; f++) Assert.Equal(bits[(f * 9)..(f * 9 + 9)], pixels.DecodeFrame(f).Data);

        var native = new DicomTranscoder().Transcode(new DicomFile(dataset), DicomTransferSyntax.ExplicitVRBigEndian);
        Assert.Equal(packed, ((DicomValueElement)native.Dataset[DicomTags.PixelData]!).Buffer.GetMemory().ToArray());
    }

    [Fact]
    public void Signed_values_are_sign_extended_from_bits_stored_and_high_bits_masked()
    {
        var dataset = Image(2, 1, 16, 12, 1, "MONOCHROME2").AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, "1");
        var values = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(values, 0xF800);        // stored -2048 with garbage above bit 11
        BinaryPrimitives.WriteUInt16LittleEndian(values.AsSpan(2), 0x17FF); // stored +2047, bit 12 set (an old overlay)
        dataset.AddOrUpdate(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, DicomBuffer.FromMemory(values)));
        var frame = DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).DecodeFrame(0).Data;
        Assert.Equal(-2048, BinaryPrimitives.ReadInt16LittleEndian(frame));
        Assert.Equal(2047, BinaryPrimitives.ReadInt16LittleEndian(frame.AsSpan(2)));
    }

    [Fact]
    public void Colour_by_plane_and_ybr_422_decode_to_colour_by_pixel()
    {
        var planar = DicomPixelData.Create(DicomFile.Open(ExpectedPixels.For("color-pl").Path));
        Assert.Equal(1, planar.Info.PlanarConfiguration);
        Assert.Equal("RGB", planar.DecodeFrame(0).PhotometricInterpretation);
        var ybr = DicomPixelData.Create(DicomFile.Open(ExpectedPixels.For("SC_ybr_full_422_uncompressed").Path));
        Assert.Equal(ybr.Info.Rows * ybr.Info.Columns * 2, ybr.GetEncodedFrame(0).Length);
        Assert.Equal("YBR_FULL", ybr.DecodeFrame(0).PhotometricInterpretation);
    }

    [Theory]
    [InlineData("Rows", "Image Pixel module: Rows (0028,0010) is missing")]
    [InlineData("BitsStored", "Image Pixel module: Bits Stored (0028,0101) is 17; it must be 1 to Bits Allocated (16)")]
    [InlineData("Samples", "Image Pixel module: Photometric Interpretation (0028,0004) is RGB, which needs Samples per Pixel 3, but Samples per Pixel is 1")]
    [InlineData("Frames", "Image Pixel module: Number of Frames (0028,0008) is '0'; it must be a whole number of at least 1")]
    [InlineData("Short", "Pixel Data (7FE0,0010) has 7 bytes but 1 frame(s) of 2×2×1 at 16 bits need 8")]
    [InlineData("NoPixels", "the data set has no pixel data: none of Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009)")]
    public void Inconsistent_image_pixel_modules_are_refused_by_attribute(string damage, string message)
    {
        var dataset = Image(2, 2, 16, 16, 1, "MONOCHROME2");
        dataset.AddOrUpdate(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, DicomBuffer.FromMemory(new byte[8])));
        switch (damage)
        {
            case "Rows": dataset.Remove(DicomTags.Rows); break;
            case "BitsStored": dataset.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, "17"); break;
            case "Samples": dataset.AddOrUpdate(DicomTags.PhotometricInterpretation, "RGB"); break;
            case "Frames": dataset.AddOrUpdate(DicomTags.NumberOfFrames, "0"); break;
            case "Short": dataset.AddOrUpdate(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, DicomBuffer.FromMemory(new byte[7]))); break;
            case "NoPixels": dataset.Remove(DicomTags.PixelData); break;
        }
        var ex = Assert.ThrowsAny<DicomException>(() => DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(message, ex.Message);
    }

    internal static DicomDataset Image(int columns, int rows, int allocated, int stored, int samples, string photometric) => new DicomDataset()
        .AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
        .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4")
        .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, samples.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .AddOrUpdate(DicomTags.PhotometricInterpretation, photometric)
        .AddOrUpdate(DicomTags.Rows, DicomVR.US, rows.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .AddOrUpdate(DicomTags.Columns, DicomVR.US, columns.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, allocated.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, stored.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (stored - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
        .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, "0");

    private static byte[] Bytes<T>(IEnumerable<T> values, int width) where T : struct
    {
        var list = values.Select(v => Convert.ToUInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var bytes = new byte[list.Count * width];
        for (var i = 0; i < list.Count; i++)
        {
            if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), (uint)list[i]);
            else BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), list[i]);
        }
        return bytes;
    }
}
