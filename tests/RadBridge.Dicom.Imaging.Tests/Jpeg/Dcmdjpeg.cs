using System.Diagnostics;

namespace RadBridge.Dicom.Imaging.Tests.Jpeg;

/// <summary>
/// DCMTK's JPEG tools (IJG-based, software nobody here wrote), run as processes: dcmdjpeg decompresses a JPEG
/// DICOM file to Explicit VR Little Endian and hands back the native pixel data; dcmcjpeg makes JPEG files.
/// </summary>
internal static class Dcmdjpeg
{
    public static byte[] DecodeFile(string path)
    {
        var output = Path.Combine(Path.GetTempPath(), $"radbridge-dcmdjpeg-{Guid.NewGuid():N}.dcm");
        try
        {
            Run("dcmdjpeg", path, output);
            var ds = DicomFile.Open(output).Dataset;
            return ((DicomValueElement)ds[DicomTags.PixelData]!).Buffer.GetMemory().ToArray();
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Runs a DCMTK tool, failing with its stderr when it fails or takes over a minute.</summary>
    public static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{tool} (DCMTK) is not installed: ./test.sh installs it", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish in 60 s");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {stderr.Result}");
        }
    }

    /// <summary>Writes a copy of a data set whose pixel data are the given encoded frames (one fragment each).</summary>
    public static string WriteEncapsulated(DicomDataset source, IReadOnlyList<byte[]> frames, string photometric, string transferSyntaxUid, bool lossy)
    {
        var ds = source.Clone();
        var fragments = frames.Select(f => DicomBuffer.FromMemory(f.Length % 2 == 0 ? f : [.. f, 0]));
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, fragments));
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, photometric);
        if (lossy) ds.AddOrUpdate(DicomTags.LossyImageCompression, "01");
        var path = Path.Combine(Path.GetTempPath(), $"radbridge-jpeg-{Guid.NewGuid():N}.dcm");
        new DicomFile(ds, DicomTransferSyntax.Lookup(transferSyntaxUid)).Save(path);
        return path;
    }
}
