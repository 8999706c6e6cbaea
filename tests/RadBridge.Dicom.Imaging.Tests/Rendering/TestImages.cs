using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace RadBridge.Dicom.Imaging.Tests.Rendering;

/// <summary>A decoded raster read back from a PNG or PNM file: samples as integers, row-major, channels interleaved.</summary>
internal sealed record Raster(int Width, int Height, int Channels, int MaxValue, int[] Samples)
{
    public double MeanAbsoluteDifference(Raster other)
    {
        Assert.Equal((Width, Height, Channels), (other.Width, other.Height, other.Channels));
        long sum = 0;
        for (var i = 0; i < Samples.Length; i++) sum += Math.Abs(Samples[i] - other.Samples[i]);
        return (double)sum / Samples.Length;
    }
}

/// <summary>Independent readers for the files the tests compare: PNG (our own writer's output) and PGM/PPM (dcmtk's).</summary>
internal static class TestImages
{
    /// <summary>Reads a non-interlaced PNG of colour type 0 or 2, checking every chunk's CRC.</summary>
    public static Raster ReadPng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var pos = 8;
        int width = 0, height = 0, depth = 0, colour = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(Crc(png.AsSpan(pos + 4, length + 4)), crc);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8];
                colour = data[9];
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            pos += 12 + length;
        }
        var channels = colour == 2 ? 3 : 1;
        var bpp = channels * depth / 8;
        var stride = width * bpp;
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[(stride + 1) * height];
        z.ReadExactly(raw);
        var prior = new byte[stride];
        var row = new byte[stride];
        var samples = new int[width * height * channels];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                int x = raw[y * (stride + 1) + 1 + i], a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                var p = a + b - c;
                var paeth = Math.Abs(p - a) <= Math.Abs(p - b) && Math.Abs(p - a) <= Math.Abs(p - c) ? a : Math.Abs(p - b) <= Math.Abs(p - c) ? b : c;
                row[i] = (byte)(x + filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, 4 => paeth, _ => throw new InvalidDataException($"filter {filter}") });
            }
            for (var s = 0; s < width * channels; s++)
                samples[y * width * channels + s] = depth == 16 ? row[s * 2] << 8 | row[s * 2 + 1] : row[s];
            (prior, row) = (row, prior);
        }
        return new Raster(width, height, channels, depth == 16 ? 65535 : 255, samples);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        // Bitwise CRC-32 (ISO 3309), independent of the System.IO.Hashing the writer uses.
        var crc = 0xFFFFFFFFu;
        foreach (var d in data)
        {
            crc ^= d;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>Reads binary PGM (P5) or PPM (P6).</summary>
    public static Raster ReadPnm(byte[] pnm)
    {
        var pos = 0;
        string Token()
        {
            while (true)
            {
                while (char.IsWhiteSpace((char)pnm[pos])) pos++;
                if (pnm[pos] != '#') break;
                while (pnm[pos] != '\n') pos++;
            }
            var start = pos;
            while (!char.IsWhiteSpace((char)pnm[pos])) pos++;
            return Encoding.ASCII.GetString(pnm, start, pos - start);
        }
        var magic = Token();
        var channels = magic switch { "P5" => 1, "P6" => 3, _ => throw new InvalidDataException($"not binary PNM: {magic}") };
        int width = int.Parse(Token()), height = int.Parse(Token()), max = int.Parse(Token());
        pos++; // the single whitespace after maxval
        var n = width * height * channels;
        var samples = new int[n];
        for (var i = 0; i < n; i++)
            samples[i] = max > 255 ? pnm[pos + i * 2] << 8 | pnm[pos + i * 2 + 1] : pnm[pos + i];
        return new Raster(width, height, channels, max, samples);
    }

    /// <summary>Runs dcmj2pnm (DCMTK) on <paramref name="dicom"/> with <paramref name="options"/> and reads its PGM/PPM.</summary>
    public static Raster Dcmj2pnm(string dicom, params string[] options)
    {
        var output = Path.Combine(Path.GetTempPath(), $"radbridge-render-{Guid.NewGuid():N}.pnm");
        try
        {
            var psi = new ProcessStartInfo("dcmj2pnm") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var o in options) psi.ArgumentList.Add(o);
            psi.ArgumentList.Add(dicom);
            psi.ArgumentList.Add(output);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "dcmj2pnm did not finish");
            Assert.True(p.ExitCode == 0, $"dcmj2pnm failed: {err.Result}");
            return ReadPnm(File.ReadAllBytes(output));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
