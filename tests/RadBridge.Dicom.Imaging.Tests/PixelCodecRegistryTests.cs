using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Tests;

public class PixelCodecRegistryTests
{
    [Fact]
    public void Unknown_transfer_syntax_is_refused_with_its_uid()
    {
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => new PixelCodecRegistry().Get("1.2.3.4.5"));
        Assert.Contains("1.2.3.4.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_frame_length_follows_the_image_pixel_module()
    {
        var info = new PixelDataInfo
        {
            Rows = 3, Columns = 5, SamplesPerPixel = 1, BitsAllocated = 1, BitsStored = 1, HighBit = 0,
            IsSigned = false, PhotometricInterpretation = "MONOCHROME2",
        };
        Assert.Equal(2, info.FrameLength); // 15 bits packed
        Assert.Equal(30, (info with { BitsAllocated = 16, BitsStored = 12, HighBit = 11 }).FrameLength);
        // YBR_FULL_422: two luminance samples and one Cb/Cr pair per two pixels.
        Assert.Equal(30, (info with { BitsAllocated = 8, BitsStored = 8, HighBit = 7, SamplesPerPixel = 3, PhotometricInterpretation = "YBR_FULL_422" }).FrameLength);
    }
}
