using System.Buffers.Binary;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests;

public class RleCodecTests
{
    private static readonly RleCodec Codec = new();

    public static TheoryData<string> NativeSamples()
    {
        var rows = new TheoryData<string>();
        foreach (var e in ExpectedPixels.All)
            if (!DicomFile.Open(e.Path).TransferSyntax.IsEncapsulated) rows.Add(e.Name);
        return rows;
    }

    [Theory]
    [MemberData(nameof(NativeSamples))]
    public void Every_native_sample_round_trips_through_rle_or_is_refused_for_its_bit_depth(string name)
    {
        var sample = ExpectedPixels.For(name);
        var pixels = DicomPixelData.Create(DicomFile.Open(sample.Path));
        var info = pixels.Info;
        for (var f = 0; f < pixels.FrameCount; f++)
        {
            var decoded = pixels.DecodeFrame(f);
            var layout = info with { PhotometricInterpretation = decoded.PhotometricInterpretation, PlanarConfiguration = 0 };
            if (info.IsFloat || info.BitsAllocated == 1)
            {
                var ex = Assert.Throws<PixelCodecException>(() => Codec.Encode(RleCodec.TransferSyntaxUid, decoded.Data, layout, PixelEncodeOptions.Default));
                Assert.Contains($"Bits Allocated {info.BitsAllocated}", ex.Message, StringComparison.Ordinal);
                return;
            }
            var encoded = Codec.Encode(RleCodec.TransferSyntaxUid, decoded.Data, layout, PixelEncodeOptions.Default);
            Assert.Equal(0, encoded.Data.Length % 2);
            var back = new byte[decoded.Data.Length];
            Assert.Equal(decoded.PhotometricInterpretation, Codec.Decode(RleCodec.TransferSyntaxUid, encoded.Data, layout, f, back));
            Assert.Equal(decoded.Data, back);
        }
    }

    [Theory]
    [InlineData(8, 1, 1, 1)]
    [InlineData(8, 3, 7, 5)]
    [InlineData(16, 1, 300, 3)]
    [InlineData(16, 3, 129, 2)]
    [InlineData(32, 1, 257, 2)]
    [InlineData(32, 3, 1, 1)]
    public void Synthetic_frames_round_trip_with_long_runs_literals_and_odd_widths(int bits, int samples, int columns, int rows)
    {
        var info = Info(bits, samples, columns, rows);
        var frame = new byte[info.DecodedFrameLength];
        var random = new Random(bits * 1000 + columns);
        // Runs longer than 128, short runs of two and noise, so every PackBits case and the 128-byte limits occur.
        for (var i = 0; i < frame.Length; i++) frame[i] = (i / 200 % 3) switch { 0 => 7, 1 => (byte)(i / 2), _ => (byte)random.Next(256) };
        var encoded = Codec.Encode(RleCodec.TransferSyntaxUid, frame, info, PixelEncodeOptions.Default);
        Assert.Equal((uint)(samples * bits / 8), BinaryPrimitives.ReadUInt32LittleEndian(encoded.Data));
        var back = new byte[frame.Length];
        Codec.Decode(RleCodec.TransferSyntaxUid, encoded.Data, info, 0, back);
        Assert.Equal(frame, back);
    }

    [Fact]
    public void A_constant_frame_compresses_to_replicate_runs()
    {
        var info = Info(16, 1, 512, 512);
        var encoded = Codec.Encode(RleCodec.TransferSyntaxUid, new byte[info.DecodedFrameLength], info, PixelEncodeOptions.Default);
        Assert.True(encoded.Data.Length <= 64 + 2 * 512 * 8, // four 128-byte runs of two bytes per row and plane
             $"{encoded.Data.Length} bytes");
    }

    [Fact]
    public void Truncated_and_bit_flipped_streams_fail_with_a_codec_error_never_a_crash_or_hang()
    {
        var info = Info(16, 3, 61, 17);
        var frame = new byte[info.DecodedFrameLength];
        new Random(4).NextBytes(frame.AsSpan(0, frame.Length / 2));
        var stream = Codec.Encode(RleCodec.TransferSyntaxUid, frame, info, PixelEncodeOptions.Default).Data;
        var destination = new byte[frame.Length];
        var failures = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var length = 0; length < stream.Length; length += 7)
        {
            if (TryDecode(stream.AsSpan(0, length), info, destination)) continue;
            failures++;
        }
        var random = new Random(11);
        for (var n = 0; n < 3000; n++)
        {
            var damaged = (byte[])stream.Clone();
            for (var k = random.Next(1, 4); k > 0; k--) damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            if (!TryDecode(damaged, info, destination)) failures++;
        }
        Assert.True(failures > 0, "no damaged stream was rejected");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"fuzzing took {watch.Elapsed}");
    }

    [Fact]
    public void A_header_that_disagrees_with_the_image_is_named()
    {
        var info = Info(8, 3, 4, 4);
        var stream = new byte[64 + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(stream, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(stream.AsSpan(4), 64);
        var ex = Assert.Throws<PixelCodecException>(() => Codec.Decode(RleCodec.TransferSyntaxUid, stream, info, 2, new byte[48]));
        Assert.Equal("RLE Lossless: frame 2: the header declares 1 segments; 3 sample(s) of 8 bits need 3", ex.Message);
    }

    private static bool TryDecode(ReadOnlySpan<byte> stream, PixelDataInfo info, byte[] destination)
    {
        try
        {
            Codec.Decode(RleCodec.TransferSyntaxUid, stream, info, 0, destination);
            return true;
        }
        catch (PixelCodecException)
        {
            return false;
        }
    }

    private static PixelDataInfo Info(int bits, int samples, int columns, int rows) => new()
    {
        Rows = rows, Columns = columns, SamplesPerPixel = samples, BitsAllocated = bits, BitsStored = bits, HighBit = bits - 1,
        IsSigned = false, PhotometricInterpretation = samples == 3 ? "RGB" : "MONOCHROME2",
    };
}
