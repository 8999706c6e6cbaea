using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// Separable resampling of rendered images: area averaging when shrinking (every source pixel counts by the share of
/// it each output pixel covers, so thin lines and noise do not alias) and Catmull-Rom bicubic when enlarging.
/// </summary>
public static class ImageScaler
{
    /// <summary>The largest size inside <paramref name="maxWidth"/>×<paramref name="maxHeight"/> with the aspect ratio of width×height.</summary>
    public static (int Width, int Height) FitSize(int width, int height, int maxWidth, int maxHeight)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image must have pixels");
        if (maxWidth <= 0 || maxHeight <= 0) throw new RenderingException($"target size {maxWidth}×{maxHeight} must be positive");
        var scale = Math.Min((double)maxWidth / width, (double)maxHeight / height);
        return (Math.Clamp((int)Math.Round(width * scale), 1, maxWidth), Math.Clamp((int)Math.Round(height * scale), 1, maxHeight));
    }

    /// <summary>A copy of <paramref name="source"/> resampled to exactly <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RenderedImage Resize(RenderedImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width <= 0 || height <= 0) throw new RenderingException($"target size {width}×{height} must be positive");
        // Bound the output like any allocation from outside input.
        if ((long)width * height > 1L << 28) throw new RenderingException($"target size {width}×{height} is too large");
        var ch = source.Channels;
        var horizontal = Weights.For(source.Width, width);
        var vertical = Weights.For(source.Height, height);

        // Pass 1: every source row to the output width, in floats.
        var temp = new float[source.Height * width * ch];
        if (source.BitsPerSample == 8)
        {
            var src = source.Pixels;
            for (var y = 0; y < source.Height; y++) ResampleRow(src.AsSpan(y * source.Stride, source.Stride), temp.AsSpan(y * width * ch, width * ch), horizontal, ch);
        }
        else
        {
            var src = MemoryMarshal.Cast<byte, ushort>(source.Pixels.AsSpan());
            for (var y = 0; y < source.Height; y++) ResampleRow(src.Slice(y * source.Width, source.Width), temp.AsSpan(y * width, width), horizontal, 1);
        }

        // Pass 2: columns to the output height.
        var outMax = source.BitsPerSample == 8 ? 255f : 65535f;
        var output = new byte[(long)width * height * ch * source.BitsPerSample / 8];
        var out16 = MemoryMarshal.Cast<byte, ushort>(output.AsSpan());
        var rowLength = width * ch;
        var acc = new float[rowLength];
        for (var y = 0; y < height; y++)
        {
            Array.Clear(acc);
            var start = vertical.Start[y];
            for (var k = 0; k < vertical.Count[y]; k++)
            {
                var w = vertical.Factors[y * vertical.Taps + k];
                var row = temp.AsSpan((start + k) * rowLength, rowLength);
                for (var i = 0; i < rowLength; i++) acc[i] += w * row[i];
            }
            for (var i = 0; i < rowLength; i++)
            {
                var v = acc[i];
                v = v <= 0 ? 0 : v >= outMax ? outMax : v + 0.5f;
                if (source.BitsPerSample == 8) output[y * rowLength + i] = (byte)v;
                else out16[y * rowLength + i] = (ushort)v;
            }
        }
        return new RenderedImage(width, height, ch, source.BitsPerSample, output);
    }

    private static void ResampleRow<T>(ReadOnlySpan<T> src, Span<float> dst, Weights weights, int ch) where T : unmanaged, IConvertible
    {
        for (var x = 0; x < weights.Count.Length; x++)
        {
            var start = weights.Start[x];
            for (var c = 0; c < ch; c++)
            {
                float sum = 0;
                for (var k = 0; k < weights.Count[x]; k++)
                    sum += weights.Factors[x * weights.Taps + k] * ToFloat(src[(start + k) * ch + c]);
                dst[x * ch + c] = sum;
            }
        }
    }

    private static float ToFloat<T>(T v) where T : unmanaged =>
        typeof(T) == typeof(byte) ? (byte)(object)v : (ushort)(object)v;

    /// <summary>For each output position: the first source index, how many follow, and their weights (summing to 1).</summary>
    private sealed class Weights
    {
        public required int[] Start { get; init; }
        public required int[] Count { get; init; }
        public required float[] Factors { get; init; }
        public required int Taps { get; init; }

        public static Weights For(int sourceLength, int targetLength)
        {
            var start = new int[targetLength];
            var count = new int[targetLength];
            if (targetLength < sourceLength)
            {
                var scale = (double)sourceLength / targetLength;
                var taps = (int)Math.Ceiling(scale) + 1;
                var factors = new float[targetLength * taps];
                for (var i = 0; i < targetLength; i++)
                {
                    double a = i * scale, b = Math.Min(sourceLength, (i + 1) * scale);
                    var first = (int)Math.Floor(a);
                    var last = Math.Min(sourceLength - 1, (int)Math.Ceiling(b) - 1);
                    start[i] = first;
                    count[i] = last - first + 1;
                    for (var j = first; j <= last; j++)
                        factors[i * taps + j - first] = (float)((Math.Min(b, j + 1) - Math.Max(a, j)) / scale);
                }
                return new Weights { Start = start, Count = count, Factors = factors, Taps = taps };
            }
            else
            {
                const int taps = 4;
                var factors = new float[targetLength * taps];
                var scale = (double)sourceLength / targetLength;
                for (var i = 0; i < targetLength; i++)
                {
                    // Pixel centres aligned: output centre i+0.5 falls on source coordinate (i+0.5)·scale.
                    var x = (i + 0.5) * scale - 0.5;
                    var x0 = (int)Math.Floor(x);
                    var first = Math.Max(0, x0 - 1);
                    var last = Math.Min(sourceLength - 1, x0 + 2);
                    start[i] = first;
                    count[i] = last - first + 1;
                    double total = 0;
                    for (var j = first; j <= last; j++) total += CatmullRom(x - j);
                    for (var j = first; j <= last; j++) factors[i * taps + j - first] = (float)(CatmullRom(x - j) / total);
                }
                return new Weights { Start = start, Count = count, Factors = factors, Taps = taps };
            }
        }

        private static double CatmullRom(double t)
        {
            t = Math.Abs(t);
            if (t < 1) return 1.5 * t * t * t - 2.5 * t * t + 1;
            if (t < 2) return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2;
            return 0;
        }
    }
}
