using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace RadBridge.Dicom;

/// <summary>
/// The bytes of one value, in little-endian order whatever the transfer syntax they were read from.
/// Either in memory or a lazy range of a file that is read only when asked for (bulk data such as pixel data).
/// </summary>
public abstract class DicomBuffer
{
    /// <summary>An empty value.</summary>
    public static DicomBuffer Empty { get; } = new MemoryDicomBuffer(ReadOnlyMemory<byte>.Empty);

    /// <summary>Length of the value in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>True when the bytes stay on disk until <see cref="GetMemory()"/> is called.</summary>
    public virtual bool IsLazy => false;

    /// <summary>The bytes (loads a lazy value; values over 2 GiB cannot be loaded whole).</summary>
    public abstract ReadOnlyMemory<byte> GetMemory();

    /// <summary>Loads the bytes asynchronously.</summary>
    public virtual ValueTask<ReadOnlyMemory<byte>> GetMemoryAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(GetMemory());

    /// <summary>
    /// Bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/> of the value; a lazy
    /// value reads only that range from its file (one frame of a multi-frame pixel data element, say).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the value.</exception>
    public virtual ReadOnlyMemory<byte> GetMemory(long offset, int length)
    {
        CheckRange(offset, length);
        return GetMemory().Slice((int)offset, length);
    }

    /// <summary>Reads a range of the value asynchronously (see <see cref="GetMemory(long, int)"/>).</summary>
    public virtual ValueTask<ReadOnlyMemory<byte>> GetMemoryAsync(long offset, int length, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(GetMemory(offset, length));

    private protected void CheckRange(long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Length, nameof(length));
    }

    /// <summary>Copies the bytes to a stream without holding a large value in memory.</summary>
    public virtual void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(GetMemory().Span);
    }

    /// <summary>Copies the bytes to a stream asynchronously without holding a large value in memory.</summary>
    public virtual ValueTask CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.WriteAsync(GetMemory(), cancellationToken);
    }

    /// <summary>Wraps bytes that are already little endian.</summary>
    public static DicomBuffer FromMemory(ReadOnlyMemory<byte> bytes) =>
        bytes.IsEmpty ? Empty : new MemoryDicomBuffer(bytes);
}

/// <summary>A value held in memory.</summary>
public sealed class MemoryDicomBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;
    public override ReadOnlyMemory<byte> GetMemory() => bytes;
}

/// <summary>
/// A value that stays in its file (offset + length) until read. For big-endian files the unit size says how
/// bytes are swapped on load so callers always see little endian.
/// </summary>
public sealed class FileDicomBuffer : DicomBuffer
{
    private const int CopyChunk = 1 << 20;

    public FileDicomBuffer(string path, long offset, long length, int swapUnit = 1)
        : this(DicomSourceFile.Capture(path), offset, length, swapUnit)
    {
    }

    internal FileDicomBuffer(DicomSourceFile source, long offset, long length, int swapUnit = 1)
    {
        Source = source;
        var path = source.Path;
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Path = path;
        Offset = offset;
        ValueLength = length;
        SwapUnit = swapUnit;
    }

    /// <summary>The file that holds the value.</summary>
    public string Path { get; }

    /// <summary>The file with the size and modification time it had when the value was located.</summary>
    internal DicomSourceFile Source { get; }
    /// <summary>Byte offset of the value in the file.</summary>
    public long Offset { get; }
    /// <summary>Length of the value.</summary>
    public long ValueLength { get; }
    /// <summary>1 for no swap; 2, 4 or 8 when the file is big endian and the value is made of such words.</summary>
    public int SwapUnit { get; }

    public override long Length => ValueLength;
    public override bool IsLazy => true;

    public override ReadOnlyMemory<byte> GetMemory()
    {
        if (ValueLength > Array.MaxLength)
            throw new DicomException($"bulk value of {ValueLength} bytes at offset {Offset} of {Path} is too large to load at once; stream it with CopyTo");
        // Uninitialized: every byte is overwritten by the read below (or the read throws).
        var data = GC.AllocateUninitializedArray<byte>((int)ValueLength);
        using var handle = OpenHandle();
        ReadExactly(handle, data, Offset);
        Swap(data, SwapUnit);
        return data;
    }

    public override ReadOnlyMemory<byte> GetMemory(long offset, int length)
    {
        CheckRange(offset, length);
        var (start, count) = AlignToSwapUnit(offset, length);
        var data = new byte[count];
        using var handle = OpenHandle();
        ReadExactly(handle, data, Offset + start);
        Swap(data, SwapUnit);
        return data.AsMemory((int)(offset - start), length);
    }

    public override async ValueTask<ReadOnlyMemory<byte>> GetMemoryAsync(long offset, int length, CancellationToken cancellationToken = default)
    {
        CheckRange(offset, length);
        var (start, count) = AlignToSwapUnit(offset, length);
        var data = new byte[count];
        using var handle = OpenHandle(FileOptions.Asynchronous);
        var done = 0;
        while (done < count)
        {
            var n = await RandomAccess.ReadAsync(handle, data.AsMemory(done), Offset + start + done, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw Truncated(start + done);
            done += n;
        }
        Swap(data, SwapUnit);
        return data.AsMemory((int)(offset - start), length);
    }

    // Big-endian words are swapped whole: widen a range to word boundaries (within the value) before swapping.
    private (long Start, int Count) AlignToSwapUnit(long offset, int length)
    {
        if (SwapUnit == 1) return (offset, length);
        var start = offset - offset % SwapUnit;
        var end = Math.Min(ValueLength, (offset + length + SwapUnit - 1) / SwapUnit * SwapUnit);
        return (start, (int)(end - start));
    }

    public override async ValueTask<ReadOnlyMemory<byte>> GetMemoryAsync(CancellationToken cancellationToken = default)
    {
        if (ValueLength > Array.MaxLength)
            throw new DicomException($"bulk value of {ValueLength} bytes at offset {Offset} of {Path} is too large to load at once; stream it with CopyToAsync");
        var data = GC.AllocateUninitializedArray<byte>((int)ValueLength);
        using var handle = OpenHandle(FileOptions.Asynchronous);
        var done = 0;
        while (done < data.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, data.AsMemory(done), Offset + done, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw Truncated(done);
            done += n;
        }
        Swap(data, SwapUnit);
        return data;
    }

    public override void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var handle = OpenHandle();
        var chunk = new byte[(int)Math.Min(CopyChunk, Math.Max(ValueLength, 1))];
        long done = 0;
        while (done < ValueLength)
        {
            var want = (int)Math.Min(chunk.Length, ValueLength - done);
            ReadExactly(handle, chunk.AsSpan(0, want), Offset + done);
            Swap(chunk.AsSpan(0, want), SwapUnit);
            destination.Write(chunk, 0, want);
            done += want;
        }
    }

    public override async ValueTask CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var handle = OpenHandle(FileOptions.Asynchronous);
        var chunk = new byte[(int)Math.Min(CopyChunk, Math.Max(ValueLength, 1))];
        long done = 0;
        while (done < ValueLength)
        {
            var want = (int)Math.Min(chunk.Length, ValueLength - done);
            var got = 0;
            while (got < want)
            {
                var n = await RandomAccess.ReadAsync(handle, chunk.AsMemory(got, want - got), Offset + done + got, cancellationToken).ConfigureAwait(false);
                if (n == 0) throw Truncated(done + got);
                got += n;
            }
            Swap(chunk.AsSpan(0, want), SwapUnit);
            await destination.WriteAsync(chunk.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            done += want;
        }
    }

    private SafeFileHandle OpenHandle(FileOptions options = FileOptions.None)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DicomException($"bulk value at offset {Offset} of {Path} cannot be read: {ex.Message}", ex);
        }
        // Offsets are only meaningful in the file they were found in: refuse a file replaced or rewritten since.
        if (!Source.Matches(handle))
        {
            handle.Dispose();
            throw new DicomException($"{Path} changed after it was read; its bulk value at offset {Offset} is no longer valid");
        }
        return handle;
    }

    private void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[done..], offset + done);
            if (n == 0) throw Truncated(offset - Offset + done);
            done += n;
        }
    }

    private DicomReadException Truncated(long got) =>
        new($"bulk value of {ValueLength} bytes ends after {got} bytes: {Path} was truncated or changed", null, Offset + got);

    internal static void Swap(Span<byte> data, int unit)
    {
        switch (unit)
        {
            case 2:
                var u16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data[..(data.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data[..(data.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(data[..(data.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}

/// <summary>A file as it was when a data set was read from it: lazy values check they still read the same file.</summary>
internal sealed class DicomSourceFile
{
    private DicomSourceFile(string path, long length, DateTime lastWriteUtc)
    {
        Path = path;
        Length = length;
        LastWriteUtc = lastWriteUtc;
    }

    public string Path { get; }
    public long Length { get; }
    public DateTime LastWriteUtc { get; }

    public static DicomSourceFile Capture(string path)
    {
        var info = new FileInfo(path);
        return new DicomSourceFile(info.FullName, info.Length, info.LastWriteTimeUtc);
    }

    public static DicomSourceFile Capture(string path, SafeFileHandle handle) =>
        new(path, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));

    public bool Matches(SafeFileHandle handle) =>
        RandomAccess.GetLength(handle) == Length && File.GetLastWriteTimeUtc(handle) == LastWriteUtc;
}
