using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Frames;

namespace RadBridge.Dicom.Imaging;

/// <summary>
/// The frames of a data set's pixel data, read lazily: asking for one frame reads only that frame's bytes (a range of
/// native pixel data, or the fragments of an encapsulated frame) from the file.
/// </summary>
/// <remarks>
/// Decoded frames have one layout whatever the transfer syntax: colour-by-pixel, each sample little endian with the
/// width of Bits Allocated (1 byte for 1 and 8), integer values masked to Bits Stored or sign-extended when signed,
/// Bits Allocated 1 unpacked to one byte (0 or 1) per pixel, YBR_FULL_422 expanded to full YBR. This is the layout
/// the pixel hash of the shared samples is defined over, and what codecs take to encode.
/// </remarks>
public sealed class DicomPixelData
{
    private readonly DicomDataset _dataset;
    private readonly DicomValueElement? _native;
    private readonly DicomFragmentSequence? _encapsulated;
    private readonly PixelCodecRegistry _registry;
    private readonly Lazy<EncapsulatedFrameIndex>? _index;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax syntax, PixelDataInfo info, DicomElement element, PixelCodecRegistry registry)
    {
        _dataset = dataset;
        TransferSyntax = syntax;
        Info = info;
        _registry = registry;
        switch (element)
        {
            case DicomFragmentSequence fragments:
                _encapsulated = fragments;
                _index = new(() => EncapsulatedFrameIndex.Build(_dataset, fragments, FrameCount, syntax.Uid));
                break;
            case DicomValueElement value:
                _native = value;
                var needed = NativeFrameLayout.Locate(info, info.NumberOfFrames - 1);
                if (value.Length < needed.Offset + needed.Length)
                    throw new DicomException($"Pixel Data {info.PixelDataTag} has {value.Length} bytes but {info.NumberOfFrames} frame(s) of {info.Rows}×{info.Columns}×{info.SamplesPerPixel} at {info.BitsAllocated} bits need {needed.Offset + needed.Length}");
                break;
            default:
                throw new DicomException($"Pixel Data {info.PixelDataTag} is neither a value nor encapsulated fragments");
        }
    }

    /// <summary>
    /// The pixel data of <paramref name="dataset"/>, read in <paramref name="syntax"/>. Codecs are looked up in
    /// <paramref name="registry"/> (default: <see cref="PixelCodecRegistry.Default"/>) when a frame is decoded, so
    /// encoded frames of a syntax without a codec can still be read.
    /// </summary>
    /// <exception cref="DicomException">The Image Pixel module is missing or inconsistent, or the pixel data is too short or not encapsulated as the syntax says.</exception>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax syntax, PixelCodecRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        var info = PixelDataInfo.FromDataset(dataset);
        var element = dataset[info.PixelDataTag]!;
        if (syntax.IsEncapsulated && info.PixelDataTag == DicomTags.PixelData && element is not DicomFragmentSequence)
            throw new DicomException($"{syntax} needs encapsulated Pixel Data {info.PixelDataTag}, but the value is native");
        if (!syntax.IsEncapsulated && element is DicomFragmentSequence)
            throw new DicomException($"Pixel Data {info.PixelDataTag} is encapsulated, but {syntax} is a native transfer syntax");
        return new DicomPixelData(dataset, syntax, info, element, registry ?? PixelCodecRegistry.Default);
    }

    /// <summary>The pixel data of a file, in the file's transfer syntax.</summary>
    public static DicomPixelData Create(DicomFile file, PixelCodecRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Create(file.Dataset, file.TransferSyntax, registry);
    }

    /// <summary>The Image Pixel module attributes.</summary>
    public PixelDataInfo Info { get; }

    /// <summary>The transfer syntax the pixel data is encoded in.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Number of Frames (1 when absent).</summary>
    public int FrameCount => Info.NumberOfFrames;

    /// <summary>True when frames are encapsulated fragments (compressed or otherwise framed).</summary>
    public bool IsEncapsulated => _encapsulated is not null;

    /// <summary>Bytes <see cref="DecodeFrame(int, Span{byte})"/> writes per frame (see <see cref="PixelDataInfo.DecodedFrameLength"/>).</summary>
    public long DecodedFrameLength => Info.DecodedFrameLength;

    /// <summary>
    /// Decodes frame <paramref name="frame"/> (0-based) into <paramref name="destination"/> (at least
    /// <see cref="DecodedFrameLength"/> bytes) and returns the photometric interpretation of the decoded samples.
    /// </summary>
    /// <exception cref="UnsupportedTransferSyntaxException">No codec is registered for the transfer syntax.</exception>
    /// <exception cref="PixelCodecException">The frame's codestream is corrupt.</exception>
    public string DecodeFrame(int frame, Span<byte> destination)
    {
        CheckDestination(frame, destination.Length);
        if (_native is not null)
        {
            var (offset, length, bitOffset) = NativeFrameLayout.Locate(Info, frame);
            var bytes = _native.Buffer.GetMemory(offset, checked((int)length));
            return FinishNative(bytes.Span, bitOffset, destination);
        }
        var codec = _registry.Get(TransferSyntax.Uid);
        return FinishEncapsulated(codec, GetEncodedFrame(frame).Span, frame, destination);
    }

    /// <summary>Asynchronous <see cref="DecodeFrame(int, Span{byte})"/>: the frame's bytes are read asynchronously, then decoded.</summary>
    public async ValueTask<string> DecodeFrameAsync(int frame, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        CheckDestination(frame, destination.Length);
        if (_native is not null)
        {
            var (offset, length, bitOffset) = NativeFrameLayout.Locate(Info, frame);
            var bytes = await _native.Buffer.GetMemoryAsync(offset, checked((int)length), cancellationToken).ConfigureAwait(false);
            return FinishNative(bytes.Span, bitOffset, destination.Span);
        }
        var codec = _registry.Get(TransferSyntax.Uid);
        var encoded = await GetEncodedFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        return FinishEncapsulated(codec, encoded.Span, frame, destination.Span);
    }

    /// <summary>Decodes a frame into a new array.</summary>
    public DecodedFrame DecodeFrame(int frame)
    {
        var data = new byte[checked((int)DecodedFrameLength)];
        var photometric = DecodeFrame(frame, data);
        return new DecodedFrame(data, photometric);
    }

    /// <summary>
    /// The frame as stored: native frame bytes (little endian; for Bits Allocated 1 the bytes holding the frame's
    /// bits), or the frame's codestream joined from its fragments (with any fragment padding byte).
    /// </summary>
    public ReadOnlyMemory<byte> GetEncodedFrame(int frame)
    {
        CheckFrame(frame);
        if (_native is not null)
        {
            var (offset, length, _) = NativeFrameLayout.Locate(Info, frame);
            return _native.Buffer.GetMemory(offset, checked((int)length));
        }
        var (first, count, trimmed) = _index!.Value[frame];
        var fragments = _encapsulated!.Fragments;
        if (count == 1) return Trim(fragments[first].GetMemory(), trimmed);
        var joined = new byte[checked((int)fragments.Skip(first).Take(count).Sum(f => f.Length))];
        var at = 0;
        for (var i = first; i < first + count; i++)
        {
            fragments[i].GetMemory().Span.CopyTo(joined.AsSpan(at));
            at += (int)fragments[i].Length;
        }
        return Trim(joined, trimmed);
    }

    /// <summary>Asynchronous <see cref="GetEncodedFrame"/>.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> GetEncodedFrameAsync(int frame, CancellationToken cancellationToken = default)
    {
        CheckFrame(frame);
        if (_native is not null)
        {
            var (offset, length, _) = NativeFrameLayout.Locate(Info, frame);
            return await _native.Buffer.GetMemoryAsync(offset, checked((int)length), cancellationToken).ConfigureAwait(false);
        }
        var (first, count, trimmed) = _index!.Value[frame];
        var fragments = _encapsulated!.Fragments;
        if (count == 1) return Trim(await fragments[first].GetMemoryAsync(cancellationToken).ConfigureAwait(false), trimmed);
        var joined = new byte[checked((int)fragments.Skip(first).Take(count).Sum(f => f.Length))];
        var at = 0;
        for (var i = first; i < first + count; i++)
        {
            var part = await fragments[i].GetMemoryAsync(cancellationToken).ConfigureAwait(false);
            part.Span.CopyTo(joined.AsSpan(at));
            at += part.Length;
        }
        return Trim(joined, trimmed);
    }

    private string FinishNative(ReadOnlySpan<byte> native, int bitOffset, Span<byte> destination)
    {
        var target = destination[..(int)DecodedFrameLength];
        var photometric = NativeFrameLayout.ToDecoded(native, bitOffset, Info, target);
        NativeFrameLayout.NormalizeStoredValues(target, Info);
        return photometric;
    }

    private string FinishEncapsulated(IPixelCodec codec, ReadOnlySpan<byte> encoded, int frame, Span<byte> destination)
    {
        var target = destination[..(int)DecodedFrameLength];
        var photometric = codec.Decode(TransferSyntax.Uid, encoded, Info, frame, target);
        NativeFrameLayout.NormalizeStoredValues(target, Info);
        return photometric;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> bytes, long length) =>
        length >= 0 && length < bytes.Length ? bytes[..(int)length] : bytes;

    private void CheckFrame(int frame)
    {
        if (frame < 0 || frame >= FrameCount)
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"the pixel data has {FrameCount} frame(s)");
    }

    private void CheckDestination(int frame, int length)
    {
        CheckFrame(frame);
        if (length < DecodedFrameLength)
            throw new ArgumentException($"a decoded frame needs {DecodedFrameLength} bytes; the destination has {length}", nameof(length));
    }
}

/// <summary>A decoded frame (layout as <see cref="DicomPixelData"/> describes) and the photometric interpretation of its samples.</summary>
public sealed record DecodedFrame(byte[] Data, string PhotometricInterpretation);
