using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// The state OpenJPEG's callbacks reach through their user-data pointer (a GCHandle): the codestream being read
/// from pinned memory or written to a growing buffer, and the library's error and warning messages, collected
/// so that they end up in the <see cref="PixelCodecException"/> instead of on stderr. The callbacks are static
/// [UnmanagedCallersOnly] functions (no delegate to keep alive) and never let an exception escape into C.
/// </summary>
internal sealed unsafe class OpenJpegCallbacks : IDisposable
{
    private readonly byte* _source;
    private readonly long _sourceLength;
    private readonly MemoryStream? _output;
    private long _position;
    private GCHandle _handle;

    private OpenJpegCallbacks(byte* source, long length, MemoryStream? output)
    {
        _source = source;
        _sourceLength = length;
        _output = output;
        _handle = GCHandle.Alloc(this);
    }

    /// <summary>Reads from <paramref name="length"/> bytes at <paramref name="source"/>, which the caller keeps pinned.</summary>
    public static OpenJpegCallbacks ForReading(byte* source, long length) => new(source, length, null);

    /// <summary>Writes into a memory buffer.</summary>
    public static OpenJpegCallbacks ForWriting() => new(null, 0, new MemoryStream());

    /// <summary>The user-data pointer for OpenJPEG.</summary>
    public IntPtr Handle => GCHandle.ToIntPtr(_handle);

    public List<string> Errors { get; } = [];
    public List<string> Warnings { get; } = [];

    public byte[] Written => _output?.ToArray() ?? [];

    /// <summary>The library's errors (or warnings when there are none) for an exception message.</summary>
    public string Describe(string step)
    {
        var messages = Errors.Count > 0 ? Errors : Warnings;
        return messages.Count == 0 ? step : $"{step}: {string.Join("; ", messages.Distinct(StringComparer.Ordinal).Take(4))}";
    }

    /// <summary>Installs the message handlers on a codec; false when OpenJPEG refused them.</summary>
    public bool AttachMessages(IntPtr codec) =>
        OpenJpegNative.SetErrorHandler(codec, &OnError, Handle) != 0 &&
        OpenJpegNative.SetWarningHandler(codec, &OnWarning, Handle) != 0 &&
        OpenJpegNative.SetInfoHandler(codec, &OnInfo, Handle) != 0;

    /// <summary>Creates an opj_stream over this state.</summary>
    public IntPtr CreateStream()
    {
        var input = _output is null;
        var stream = OpenJpegNative.StreamCreate(OpenJpegNative.StreamChunkSize, input ? 1 : 0);
        if (stream == IntPtr.Zero) return stream;
        if (input)
        {
            OpenJpegNative.StreamSetReadFunction(stream, &Read);
            OpenJpegNative.StreamSetUserDataLength(stream, (ulong)_sourceLength);
        }
        else
        {
            OpenJpegNative.StreamSetWriteFunction(stream, &Write);
        }
        OpenJpegNative.StreamSetSkipFunction(stream, &Skip);
        OpenJpegNative.StreamSetSeekFunction(stream, &Seek);
        OpenJpegNative.StreamSetUserData(stream, Handle, IntPtr.Zero);
        return stream;
    }

    public void Dispose()
    {
        if (_handle.IsAllocated) _handle.Free();
        _output?.Dispose();
    }

    private static OpenJpegCallbacks? From(IntPtr user) =>
        user == IntPtr.Zero ? null : GCHandle.FromIntPtr(user).Target as OpenJpegCallbacks;

    [UnmanagedCallersOnly]
    private static nuint Read(byte* buffer, nuint count, IntPtr user)
    {
        var s = From(user);
        if (s is null || s._position >= s._sourceLength) return unchecked((nuint)(-1));
        var n = (long)Math.Min((ulong)count, (ulong)(s._sourceLength - s._position));
        Buffer.MemoryCopy(s._source + s._position, buffer, (long)count, n);
        s._position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static nuint Write(byte* buffer, nuint count, IntPtr user)
    {
        try
        {
            var s = From(user);
            if (s?._output is null) return unchecked((nuint)(-1));
            s._output.Position = s._position;
            s._output.Write(new ReadOnlySpan<byte>(buffer, checked((int)count)));
            s._position += (long)count;
            return count;
        }
        catch (Exception ex) when (ex is OverflowException or IOException or OutOfMemoryException or NotSupportedException)
        {
            return unchecked((nuint)(-1));
        }
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, IntPtr user)
    {
        var s = From(user);
        if (s is null) return -1;
        var limit = s._output is null ? s._sourceLength : long.MaxValue;
        var target = Math.Clamp(s._position + count, 0, limit);
        if (s._output is null && count > 0 && s._position >= limit) return -1;
        var moved = target - s._position;
        s._position = target;
        return moved;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long position, IntPtr user)
    {
        var s = From(user);
        if (s is null || position < 0 || (s._output is null && position > s._sourceLength)) return 0;
        s._position = position;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static void OnError(byte* message, IntPtr user) => From(user)?.Errors.Add(Text(message));

    [UnmanagedCallersOnly]
    private static void OnWarning(byte* message, IntPtr user) => From(user)?.Warnings.Add(Text(message));

    [UnmanagedCallersOnly]
    private static void OnInfo(byte* message, IntPtr user)
    {
        // Progress chatter ("tile 1 of 1"); not worth keeping.
    }

    private static string Text(byte* message) => (Marshal.PtrToStringUTF8((IntPtr)message) ?? "").Trim();
}
