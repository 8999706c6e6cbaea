using System.Diagnostics;
using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

/// <summary>`radbridge render` as a user runs it; the outputs are checked by Python's zlib/struct and by the JPEG markers.</summary>
public class RenderCommandTests
{
    private static string Temp(string ext) => Path.Combine(Path.GetTempPath(), $"radbridge-render-{Guid.NewGuid():N}{ext}");

    private static string PythonPngCheck(string png)
    {
        // Walks the chunks, checks each CRC, inflates IDAT and checks its length against IHDR.
        const string script = """
            import sys, struct, zlib
            d = open(sys.argv[1], 'rb').read()
            assert d[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
            p, idat, ihdr = 8, b'', None
            while p < len(d):
                n, = struct.unpack('>I', d[p:p+4]); t = d[p+4:p+8]; body = d[p+8:p+8+n]
                assert zlib.crc32(t + body) == struct.unpack('>I', d[p+8+n:p+12+n])[0], 'crc ' + t.decode()
                if t == b'IHDR': ihdr = struct.unpack('>IIBB', body[:10])
                if t == b'IDAT': idat += body
                p += 12 + n
            w, h, depth, colour = ihdr
            raw = zlib.decompress(idat)
            assert len(raw) == h * (1 + w * (3 if colour == 2 else 1) * depth // 8), 'size'
            print(w, h, depth, colour)
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(png);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        return stdout.Trim();
    }

    [Fact]
    public void Png_of_a_CT_with_window_and_size_is_valid()
    {
        var png = Temp(".png");
        try
        {
            var r = CliRunner.Run("render", TestPaths.Sample("CT_small.dcm"), png, "--window", "40,400", "--size", "64x32");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal("32 32 8 0", PythonPngCheck(png));
            r = CliRunner.Run("render", TestPaths.Sample("CT_small.dcm"), png, "--window", "lung", "--16bit");
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal("128 128 16 0", PythonPngCheck(png));
            r = CliRunner.Run("render", TestPaths.Sample("SC_rgb.dcm"), png);
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal("100 100 8 2", PythonPngCheck(png));
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Fact]
    public void Jpeg_thumbnail_of_a_palette_frame()
    {
        var jpg = Temp(".jpg");
        try
        {
            var r = CliRunner.Run("render", TestPaths.Sample("US-PAL-8-10x-echo.dcm"), jpg, "--frame", "4", "--size", "128x128");
            Assert.True(r.ExitCode == 0, r.StdErr);
            var bytes = File.ReadAllBytes(jpg);
            Assert.Equal(new byte[] { 0xFF, 0xD8 }, bytes[..2]);
            Assert.Equal(new byte[] { 0xFF, 0xD9 }, bytes[^2..]);
            // SOF0: precision, height, width, components.
            var sof = bytes.AsSpan().IndexOf(new byte[] { 0xFF, 0xC0 });
            Assert.True(sof > 0);
            Assert.Equal((128, 3), (bytes[sof + 7] << 8 | bytes[sof + 8], (int)bytes[sof + 9]));
        }
        finally
        {
            File.Delete(jpg);
        }
    }

    [Theory]
    [InlineData("out.gif", new string[0], "must end in .png")]
    [InlineData("out.png", new[] { "--frame", "2" }, "frame 2 asked for, the image has 1")]
    [InlineData("out.png", new[] { "--window", "40" }, "--window 40")]
    [InlineData("out.png", new[] { "--size", "0x5" }, "--size 0x5")]
    [InlineData("out.jpg", new[] { "--16bit" }, "--16bit needs PNG")]
    public void Bad_arguments_are_one_error_line(string output, string[] extra, string expected)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"radbridge-render-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var r = CliRunner.Run(["render", TestPaths.Sample("CT_small.dcm"), Path.Combine(dir, output), .. extra]);
            Assert.Equal(1, r.ExitCode);
            var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error:", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
