using Microsoft.Win32.SafeHandles;

namespace RadBridge.Dicom;

/// <summary>
/// A DICOM file (PS3.10): File Meta Information and the data set, with what the reader had to tolerate.
/// </summary>
public sealed class DicomFile
{
    /// <summary>Creates a file for a data set, with File Meta filled in when it is written.</summary>
    public DicomFile(DicomDataset dataset, DicomTransferSyntax? transferSyntax = null)
        : this(new DicomDataset(), dataset, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian, [], true, true, null)
    {
    }

    internal DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax ts, IReadOnlyList<string> warnings,
        bool isComplete, bool hasPreamble, string? path)
    {
        FileMetaInformation = meta;
        Dataset = dataset;
        TransferSyntax = ts;
        Warnings = warnings;
        IsComplete = isComplete;
        HasPreamble = hasPreamble;
        Path = path;
    }

    /// <summary>Group 0002 as read (empty for a raw data set without File Meta).</summary>
    public DicomDataset FileMetaInformation { get; }

    /// <summary>The data set (without group 0002).</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the data set was read in (from the File Meta, or detected).</summary>
    public DicomTransferSyntax TransferSyntax { get; set; }

    /// <summary>Non-fatal findings while reading; in lenient mode also what was skipped after damage.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>False when reading stopped early (at pixel data on request, or at damage in lenient mode).</summary>
    public bool IsComplete { get; }

    /// <summary>True when the file had the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; }

    /// <summary>The file path when read from a file (lazy bulk values are read from it).</summary>
    public string? Path { get; }

    /// <summary>Reads a file; bulk values stay on disk until used.</summary>
    /// <exception cref="DicomReadException">The file is not valid DICOM (names the problem, tag and offset).</exception>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var (stream, source) = OpenForRead(fullPath, FileOptions.None);
        using (stream)
        {
            return DicomFileReader.Read(stream, source, options);
        }
    }

    /// <summary>Reads a file asynchronously; bulk values stay on disk until used.</summary>
    public static async Task<DicomFile> OpenAsync(string path, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var (stream, source) = OpenForRead(fullPath, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await DicomFileReader.ReadAsync(stream, source, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads from a stream (values are read into memory: a stream cannot be revisited later).</summary>
    public static DicomFile Read(Stream stream, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return DicomFileReader.Read(stream, null, options);
    }

    /// <summary>Reads from a stream asynchronously (values are read into memory).</summary>
    public static async Task<DicomFile> ReadAsync(Stream stream, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return await DicomFileReader.ReadAsync(stream, null, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads from a pipe (for example a network or HTTP body) asynchronously.</summary>
    public static async Task<DicomFile> ReadAsync(System.IO.Pipelines.PipeReader reader, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = reader.AsStream(leaveOpen: true);
        await using (stream.ConfigureAwait(false))
        {
            return await DicomFileReader.ReadAsync(stream, null, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the file durably: to a temporary file beside <paramref name="path"/>, flushed to disk, then renamed over
    /// it, so a crash leaves either the old file or the complete new one. Uses <see cref="TransferSyntax"/> unless given.
    /// </summary>
    public void Save(string path, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                DicomWriter.WriteFile(stream, this, transferSyntax, options);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Asynchronous <see cref="Save"/>: temporary file, flushed to disk, renamed into place.</summary>
    public async Task SaveAsync(string path, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var temp = TempPathFor(path);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await DicomWriter.WriteFileAsync(stream, this, transferSyntax, options, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes the file to a stream (preamble, File Meta, data set).</summary>
    public void WriteTo(Stream stream, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null) =>
        DicomWriter.WriteFile(stream, this, transferSyntax, options);

    /// <summary>Writes the file to a stream asynchronously.</summary>
    public ValueTask WriteToAsync(Stream stream, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        DicomWriter.WriteFileAsync(stream, this, transferSyntax, options, cancellationToken);

    private static string TempPathFor(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
    }

    // No read-ahead hint (SequentialScan): a header read takes a few KiB and bulk values are skipped, not read.
    private static (FileHandleStream Stream, DicomSourceFile Source) OpenForRead(string path, FileOptions options)
    {
        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, options);
            var source = DicomSourceFile.Capture(path, handle);
            return (new FileHandleStream(handle, source.Length), source);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            handle?.Dispose();
            throw new DicomException($"cannot open {path}: {ex.Message}", ex);
        }
    }
}
