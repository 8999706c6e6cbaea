namespace RadBridge.Archive.Audit;

/// <summary>
/// Reads a log file line by line as bytes, saying for each line whether it ended with '\n' (a line without one is a torn
/// or cut last line). Lines are parsed from bytes, so nothing is decoded twice.
/// </summary>
internal sealed class AuditLineReader : IDisposable
{
    /// <summary>No record comes near this (the writer caps the detail text); a longer line is damage, not a record to load.</summary>
    public const int MaxLineBytes = 4 * 1024 * 1024;

    private readonly FileStream _file;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    private long _remaining;

    /// <param name="path">The log file.</param>
    /// <param name="offset">Where to start reading.</param>
    /// <param name="length">Read no further than this many bytes from the start of the file (a snapshot's length).</param>
    public AuditLineReader(string path, long offset = 0, long length = long.MaxValue)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        _file.Position = offset;
        Offset = offset;
        _remaining = Math.Max(0, length - offset);
    }

    /// <summary>The byte offset in the file of the next line.</summary>
    public long Offset { get; private set; }

    /// <summary>The next line without its '\n'; valid until the next call. False at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool terminated)
    {
        while (true)
        {
            if (TryTake(out line, out terminated, out var atEnd)) return true;
            if (atEnd) return false;
            var space = Space();
            Fill(_file.Read(space[..(int)Math.Min(space.Length, _remaining)]));
        }
    }

    /// <summary>As <see cref="TryReadLine"/>, reading the file asynchronously; null at the end of the file.</summary>
    public async ValueTask<AuditLine?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            if (TryTake(out var line, out var terminated, out var atEnd)) return new AuditLine(line, terminated);
            if (atEnd) return null;
            var space = SpaceMemory();
            Fill(await _file.ReadAsync(space[..(int)Math.Min(space.Length, _remaining)], ct).ConfigureAwait(false));
        }
    }

    private bool TryTake(out ReadOnlyMemory<byte> line, out bool terminated, out bool atEnd)
    {
        atEnd = false;
        var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline >= 0)
        {
            line = _buffer.AsMemory(_start, newline);
            terminated = true;
            _start += newline + 1;
            Offset += newline + 1;
            return true;
        }
        line = default;
        terminated = false;
        if (!_eof) return false;
        if (_end == _start)
        {
            atEnd = true;
            return false;
        }
        line = _buffer.AsMemory(_start, _end - _start);
        Offset += _end - _start;
        _start = _end;
        return true;
    }

    private Span<byte> Space() => SpaceMemory().Span;

    // Moves the unread bytes to the front, grows the buffer when one line fills it, and returns the free part.
    private Memory<byte> SpaceMemory()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes) throw new AuditLogException($"a line longer than {MaxLineBytes / (1024 * 1024)} MiB at byte {Offset}: not an audit record");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        return _buffer.AsMemory(_end);
    }

    private void Fill(int read)
    {
        if (read == 0) _eof = true;
        _end += read;
        _remaining -= read;
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>One line of a log file (without its '\n') and whether it ended with one.</summary>
internal readonly record struct AuditLine(ReadOnlyMemory<byte> Bytes, bool Terminated);
