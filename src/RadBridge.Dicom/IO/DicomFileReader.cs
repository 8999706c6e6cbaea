using System.Buffers.Binary;
using System.IO.Compression;

namespace RadBridge.Dicom;

/// <summary>
/// Drives <see cref="DicomParser"/> over a stream: detects the Part 10 header (or a raw data set and its encoding),
/// reads the File Meta, then the data set in its transfer syntax. One code path serves synchronous and asynchronous
/// callers (the synchronous one completes every await inline).
/// </summary>
internal sealed class DicomFileReader : IDisposable
{
    // The first read is small: most headers (everything before the pixel data) fit in a few KiB, and a header-only
    // read of a large file should neither copy nor allocate more than it needs. Later reads grow geometrically so a
    // data set read whole still takes few reads. Bulk values left on disk are skipped, never read.
    private const int FirstRead = 4 * 1024;
    private const int MaxRead = 1024 * 1024;
    private const int SkipChunk = 64 * 1024;

    private readonly DicomReadOptions _options;
    private readonly bool _async;
    private readonly CancellationToken _ct;
    private readonly List<string> _warnings = [];

    private Stream _stream;
    private Stream? _owned; // the inflating stream we created; the caller's stream is the caller's
    private readonly string? _path;
    private DicomSourceFile? _source;
    private long _length;
    private byte[] _buf = [];
    private int _start;
    private int _end;
    private long _bufPos; // stream position of _buf[_start]
    private bool _eof;
    private int _readSize = FirstRead;

    /// <param name="stream">What to read.</param>
    /// <param name="source">The file the stream reads, as captured when it was opened (lazy values then stay in
    /// it), or null for any other stream (values are read into memory).</param>
    /// <param name="options">Reading options.</param>
    /// <param name="useAsync">Read with ReadAsync.</param>
    /// <param name="ct">Cancels an asynchronous read.</param>
    private DicomFileReader(Stream stream, DicomSourceFile? source, DicomReadOptions options, bool useAsync, CancellationToken ct)
    {
        _stream = stream;
        _path = source?.Path;
        _options = options;
        _async = useAsync;
        _ct = ct;
        _source = source;
        _length = source?.Length ?? (stream.CanSeek ? stream.Length : -1);
        _bufPos = stream.CanSeek ? stream.Position : 0;
    }

    public static DicomFile Read(Stream stream, DicomSourceFile? source, DicomReadOptions? options)
    {
        using var reader = new DicomFileReader(stream, source, options ?? DicomReadOptions.Default, false, default);
        var task = reader.ReadAsync();
        return task.IsCompleted ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }

    public static async ValueTask<DicomFile> ReadAsync(Stream stream, DicomSourceFile? source, DicomReadOptions? options, CancellationToken ct)
    {
        using var reader = new DicomFileReader(stream, source, options ?? DicomReadOptions.Default, true, ct);
        return await reader.ReadAsync().ConfigureAwait(false);
    }

    public void Dispose() => _owned?.Dispose();

    private async ValueTask<DicomFile> ReadAsync()
    {
        var meta = new DicomDataset();
        var dataset = new DicomDataset();
        var complete = true;
        long metaStart = -1, datasetStart = 0;
        DicomTransferSyntax ts;
        bool hasPreamble = false;

        await FillAsync(132).ConfigureAwait(false);
        var head = Available;
        var layout = DetectLayout(head);
        switch (layout)
        {
            case Layout.Preamble:
                hasPreamble = true;
                Consume(132);
                metaStart = 132;
                break;
            case Layout.DicmOnly:
                Consume(4);
                metaStart = 4;
                break;
            case Layout.MetaNoPreamble:
                metaStart = 0;
                break;
        }

        try
        {
            string? tsUid = null;
            if (metaStart >= 0)
            {
                var metaParser = new DicomParser(meta, explicitVR: true, littleEndian: true, _options with { StopBeforePixelData = false }, null, _length, metaOnly: true, _warnings);
                await RunAsync(metaParser).ConfigureAwait(false);
                tsUid = meta.GetString(new DicomTag(0x0002, 0x0010));
                if (string.IsNullOrEmpty(tsUid)) _warnings.Add("File Meta has no Transfer Syntax UID (0002,0010); the data set encoding was detected from its first element");
            }
            datasetStart = _bufPos;

            if (!string.IsNullOrEmpty(tsUid))
            {
                ts = DicomTransferSyntax.Lookup(tsUid);
                if (!ts.IsKnown) _warnings.Add($"unknown transfer syntax {tsUid}: read as Explicit VR Little Endian");
                if (ts.IsDeflated) SwitchToInflate();
                await FillAsync(12).ConfigureAwait(false);
                var detected = DetectEncoding(Available);
                if (detected is { } d && d.Explicit != ts.IsExplicitVR && Available.Length >= 8)
                {
                    _warnings.Add($"the data set is {(d.Explicit ? "explicit" : "implicit")} VR although the transfer syntax {ts.Uid} says otherwise; read as found");
                    ts = d.Explicit ? (ts.IsLittleEndian ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ExplicitVRBigEndian) : DicomTransferSyntax.ImplicitVRLittleEndian;
                }
            }
            else
            {
                await FillAsync(12).ConfigureAwait(false);
                var detected = DetectEncoding(Available);
                // Without a Part 10 header the first element must look like the start of a data set (a small even
                // group such as 0008), or any text or binary file would be "read" as an implicit VR data set. After a
                // File Meta (that lacks only its Transfer Syntax UID) a data set follows whatever its first group.
                if (detected is not null && metaStart < 0 && !IsPlausibleFirstGroup(Available, detected.Value.Little)) detected = null;
                ts = detected is { } d
                    ? d.Explicit ? (d.Little ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ExplicitVRBigEndian) : DicomTransferSyntax.ImplicitVRLittleEndian
                    : throw new DicomReadException(
                        Available.Length == 0 ? (metaStart < 0 ? "the file is empty" : "no data set after the File Meta")
                        : metaStart < 0 ? "not a DICOM file: no Part 10 header and the first bytes are not a data element"
                        : "the data set after the File Meta does not start with a data element", null, _bufPos);
            }

            var parser = new DicomParser(dataset, ts.IsExplicitVR, ts.IsLittleEndian, _options, _stream.CanSeek ? _source : null, _length, metaOnly: false, _warnings)
            {
                EncapsulatedSyntax = ts.IsEncapsulated && ts.IsKnown ? ts : null,
                InflatedLimit = _owned is null ? -1 : datasetStart + _options.MaxInflatedLength, // offsets go on from the deflate stream's start
            };
            await RunAsync(parser).ConfigureAwait(false);
            complete = !parser.StoppedEarly;
        }
        catch (DicomReadException ex) when (_options.Lenient)
        {
            _warnings.Add("read stopped: " + ex.Message);
            complete = false;
            ts = DicomTransferSyntax.Lookup(meta.GetString(new DicomTag(0x0002, 0x0010)) is { Length: > 0 } u ? u : DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        }
        catch (InvalidDataException ex)
        {
            // Deflate stream corruption.
            var err = new DicomReadException($"the deflated data set is corrupt: {ex.Message}", null, _bufPos);
            if (!_options.Lenient) throw err;
            _warnings.Add("read stopped: " + err.Message);
            complete = false;
            ts = DicomTransferSyntax.DeflatedExplicitVRLittleEndian;
        }

        return new DicomFile(meta, dataset, ts, _warnings, complete, hasPreamble, _path);
    }

    private enum Layout { Preamble, DicmOnly, MetaNoPreamble, Raw }

    private static Layout DetectLayout(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 136 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M'
            && head[132] == 0x02 && head[133] == 0x00)
            return Layout.Preamble;
        if (head.Length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M'
            && DetectEncoding(head) is null)
            return Layout.Preamble; // a preamble with a malformed meta start: let the meta parser report it
        if (head.Length >= 8 && head[0] == 'D' && head[1] == 'I' && head[2] == 'C' && head[3] == 'M')
            return Layout.DicmOnly;
        if (head.Length >= 8 && head[0] == 0x02 && head[1] == 0x00 && DicomVRInfo.TryParse(head[4], head[5], out _))
            return Layout.MetaNoPreamble;
        return Layout.Raw;
    }

    /// <summary>
    /// Guesses the encoding of a data set from its first element: an explicit VR has two upper-case VR letters
    /// after the tag; a plausible group number (small, even) decides the byte order.
    /// </summary>
    private static (bool Explicit, bool Little)? DetectEncoding(ReadOnlySpan<byte> s)
    {
        if (s.Length < 8) return null;
        var gl = BinaryPrimitives.ReadUInt16LittleEndian(s);
        var gb = BinaryPrimitives.ReadUInt16BigEndian(s);
        var isExplicit = DicomVRInfo.TryParse(s[4], s[5], out _);
        var little = !(gl > 0x00FF && gb <= 0x00FF);
        if (!isExplicit && !little) return null; // implicit VR big endian does not exist
        if (!isExplicit)
        {
            // Implicit VR little endian: the tag must be plausible (an even group, or a private odd group).
            if (gl == 0 || gl == 0xFFFE) return null;
            var len = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
            if (len != 0xFFFFFFFF && len > 0x7FFFFFFF) return null;
        }
        return (isExplicit, little);
    }

    private static bool IsPlausibleFirstGroup(ReadOnlySpan<byte> s, bool little)
    {
        var group = little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
        return group is > 0 and <= 0x0FFF && (group & 1) == 0;
    }

    private async ValueTask RunAsync(DicomParser parser)
    {
        var need = 8L;
        while (true)
        {
            await FillAsync(need).ConfigureAwait(false);
            var final = _eof && _end - _start < need;
            var step = parser.Step(_buf, _start, _end - _start, _bufPos, _eof);
            Consume(step.Consumed);
            switch (step.Status)
            {
                case ParseStatus.Done:
                    return;
                case ParseStatus.Skip:
                    await SkipAsync(step.Argument).ConfigureAwait(false);
                    need = 8;
                    break;
                case ParseStatus.NeedMore:
                    if (final && step.Consumed == 0)
                        throw new DicomReadException("data ends unexpectedly", null, _bufPos);
                    need = step.Argument;
                    break;
            }
        }
    }

    private ReadOnlySpan<byte> Available => _buf.AsSpan(_start, _end - _start);

    private void Consume(int n)
    {
        _start += n;
        _bufPos += n;
    }

    /// <summary>
    /// Makes at least <paramref name="need"/> bytes available, or all that remain. Old buffers are never
    /// overwritten (values are slices of them); growth follows the bytes actually read, not a claimed length.
    /// </summary>
    private async ValueTask FillAsync(long need)
    {
        while (_end - _start < need && !_eof)
        {
            if (_buf.Length - _start < need || _end == _buf.Length)
            {
                var live = _end - _start;
                long want = Math.Max(need, _readSize);
                if (_length < 0) want = Math.Min(want, Math.Max((long)live * 2, _readSize)); // unknown size: grow with the data
                else want = Math.Min(want, Math.Max(live, _length - _bufPos) + 16);
                if (want > Array.MaxLength) throw new DicomReadException($"a value of {need} bytes is too large to hold in memory", null, _bufPos);
                _readSize = Math.Min(_readSize * 4, MaxRead);
                // Uninitialized: only bytes the stream wrote (below _end) are ever parsed or handed out as values.
                var next = GC.AllocateUninitializedArray<byte>((int)Math.Max(want, live + 1));
                Buffer.BlockCopy(_buf, _start, next, 0, live);
                _buf = next;
                _start = 0;
                _end = live;
            }
            var n = _async
                ? await _stream.ReadAsync(_buf.AsMemory(_end), _ct).ConfigureAwait(false)
                : _stream.Read(_buf, _end, _buf.Length - _end);
            if (n == 0) _eof = true;
            _end += n;
        }
    }

    private async ValueTask SkipAsync(long count)
    {
        var inBuffer = _end - _start;
        if (count <= inBuffer)
        {
            Consume((int)count);
            return;
        }
        var rest = count - inBuffer;
        _bufPos += count;
        _start = _end = 0;
        _buf = [];
        if (_stream.CanSeek)
        {
            _stream.Seek(rest, SeekOrigin.Current);
            return;
        }
        var scratch = new byte[SkipChunk];
        while (rest > 0)
        {
            var n = _async
                ? await _stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, rest)), _ct).ConfigureAwait(false)
                : _stream.Read(scratch, 0, (int)Math.Min(scratch.Length, rest));
            if (n == 0) throw new DicomReadException("data ends inside a bulk value", null, _bufPos - rest);
            rest -= n;
        }
    }

    private void SwitchToInflate()
    {
        // The rest of the buffer and stream is one raw deflate stream (PS3.5 §A.5); offsets now count inflated bytes.
        var pending = _buf.AsSpan(_start, _end - _start).ToArray();
        Stream source = pending.Length > 0 ? new ConcatStream(pending, _stream) : _stream;
        _stream = _owned = new InflatedLimitStream(new DeflateStream(source, CompressionMode.Decompress), _options.MaxInflatedLength, _bufPos);
        _buf = [];
        _start = _end = 0;
        _eof = false;
        _length = -1;
        _source = null;
    }

    /// <summary>
    /// The inflating stream, refusing to inflate more than the limit: a deflate bomb of many small elements passes
    /// every length check, so the bytes themselves are counted.
    /// </summary>
    private sealed class InflatedLimitStream(Stream inner, long limit, long startOffset) : ForwardReadStream
    {
        private long _total;
        private bool _exceeded;

        public override int Read(Span<byte> buffer) => Count(inner.Read(Allowed(buffer)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(Allowed(buffer), cancellationToken).ConfigureAwait(false));

        // One byte past the limit may be read: that byte is what proves the data set is longer than allowed.
        private Span<byte> Allowed(Span<byte> buffer) => buffer[..(int)Math.Min(buffer.Length, limit + 1 - _total)];

        private Memory<byte> Allowed(Memory<byte> buffer) => buffer[..(int)Math.Min(buffer.Length, limit + 1 - _total)];

        // The byte past the limit is withheld and the error raised on the next read, so the bytes up to the limit
        // reach the parser first whatever the reader's buffer size (a lenient read keeps everything before it).
        private int Count(int n)
        {
            if (_exceeded) throw Exceeded();
            _total += n;
            if (_total <= limit) return n;
            _exceeded = true;
            return n > 1 ? n - 1 : throw Exceeded();
        }

        private DicomReadException Exceeded() =>
            new($"the deflated data set inflates to more than {limit} bytes (DicomReadOptions.MaxInflatedLength)", null, startOffset + limit);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Bytes already buffered followed by the rest of a stream.</summary>
    private sealed class ConcatStream(byte[] head, Stream tail) : ForwardReadStream
    {
        private int _headPos;

        public override int Read(Span<byte> buffer)
        {
            if (_headPos < head.Length)
            {
                var n = Math.Min(buffer.Length, head.Length - _headPos);
                head.AsSpan(_headPos, n).CopyTo(buffer);
                _headPos += n;
                return n;
            }
            return tail.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _headPos < head.Length ? ValueTask.FromResult(Read(buffer.Span)) : tail.ReadAsync(buffer, cancellationToken);
    }
}
