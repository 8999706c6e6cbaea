using System.Buffers.Binary;

namespace RadBridge.Archive.Ingest;

/// <summary>
/// The ingest's note of how far the index is known to be durable: every instance row with an id up to the stored value
/// was committed before a completed <see cref="Storage.DurabilityBarrier"/>. The value is written before each barrier
/// (never flushed on its own), so what is on disk after a crash is at most that far — never further than the truth.
/// Start-up recovery after an unclean stop verifies the rows above it against their files.
/// </summary>
public sealed class IngestBarrierMark : IDisposable
{
    private const string FileName = "ingest.mark";
    private readonly FileStream _file;
    private readonly byte[] _buffer = new byte[8];

    public IngestBarrierMark(ArchiveLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        _file = new FileStream(PathOf(location), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1);
    }

    /// <summary>
    /// Overwrites the mark in place (8 bytes at offset 0; no size or name change, so the next barrier carries it), or
    /// flushes it at once when <paramref name="flushToDisk"/> (no barrier follows).
    /// </summary>
    public void Write(long durableThroughId, bool flushToDisk = false)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer, durableThroughId);
        _file.Position = 0;
        _file.Write(_buffer);
        _file.Flush(flushToDisk);
    }

    /// <summary>The mark on disk, or null when there is none (an archive written before marks, or never written to).</summary>
    public static long? Read(ArchiveLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var path = PathOf(location);
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        return bytes.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : null;
    }

    public void Dispose() => _file.Dispose();

    private static string PathOf(ArchiveLocation location) => Path.Combine(location.DataDirectory, FileName);
}
