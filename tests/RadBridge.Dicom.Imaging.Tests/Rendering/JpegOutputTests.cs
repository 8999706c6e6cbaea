using RadBridge.Dicom.Imaging.Codecs.Jpeg;
using RadBridge.Dicom.Imaging.Rendering;

namespace RadBridge.Dicom.Imaging.Tests.Rendering;

/// <summary>JPEG output decoded again by libjpeg-turbo's decompressor: the size, the colour space and the pixels survive.</summary>
public class JpegOutputTests
{
    private static unsafe (int Width, int Height, byte[] Pixels) Decode(byte[] jpeg, bool rgb)
    {
        var handle = TurboJpegNative.InitDecompress();
        try
        {
            fixed (byte* src = jpeg)
            {
                Assert.Equal(0, TurboJpegNative.DecompressHeader3(handle, src, (nuint)jpeg.Length, out var w, out var h, out _, out var colourspace));
                Assert.Equal(rgb ? TurboJpegNative.ColorspaceYCbCr : TurboJpegNative.ColorspaceGray, colourspace);
                var channels = rgb ? 3 : 1;
                var pixels = new byte[w * h * channels];
                fixed (byte* dst = pixels)
                    Assert.Equal(0, TurboJpegNative.Decompress2(handle, src, (nuint)jpeg.Length, dst, w, w * channels, h,
                        rgb ? TurboJpegNative.PixelFormatRgb : TurboJpegNative.PixelFormatGray, 0));
                return (w, h, pixels);
            }
        }
        finally
        {
            Assert.Equal(0, TurboJpegNative.Destroy(handle));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Smooth_images_come_back_within_a_few_grey_levels(int channels)
    {
        const int w = 67, h = 45;
        var pixels = new byte[w * h * channels];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < channels; c++)
                    pixels[(y * w + x) * channels + c] = (byte)(x * 2 + y + c * 20); // no wrap-around: smooth everywhere
        var image = new RenderedImage(w, h, channels, 8, pixels);
        var (dw, dh, back) = Decode(TurboJpegEncoder.Encode(image, 95), channels == 3);
        Assert.Equal((w, h), (dw, dh));
        double sum = 0;
        for (var i = 0; i < back.Length; i++) sum += Math.Abs(back[i] - pixels[i]);
        Assert.InRange(sum / back.Length, 0, 2);
    }

    [Fact]
    public void Sixteen_bit_images_and_bad_quality_are_refused()
    {
        Assert.Throws<RenderingException>(() => TurboJpegEncoder.Encode(new RenderedImage(2, 2, 1, 16, new byte[8])));
        Assert.Throws<RenderingException>(() => TurboJpegEncoder.Encode(new RenderedImage(2, 2, 1, 8, new byte[4]), 0));
    }
}
