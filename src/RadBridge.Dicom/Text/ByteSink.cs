using System.Buffers;

namespace RadBridge.Dicom;

/// <summary>A growable byte buffer on pooled arrays for the encoders; dispose to return the array.</summary>
internal ref struct ByteSink
{
    private byte[] _buffer;
    private int _length;

    public ByteSink(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));
        _length = 0;
    }

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Add(byte b)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = b;
    }

    public void Add(scoped ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length) Grow(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Space for <paramref name="count"/> more bytes; follow with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_length + count > _buffer.Length) Grow(count);
        return _buffer.AsSpan(_length, count);
    }

    public void Advance(int count) => _length += count;

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + needed));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
