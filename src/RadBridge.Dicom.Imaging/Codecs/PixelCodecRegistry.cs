using System.Collections.Concurrent;

namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>
/// The codecs, keyed by transfer syntax UID. <see cref="Default"/> holds every codec RadBridge ships; native
/// libraries are loaded only when a codec first runs, so a missing library fails only its own syntaxes.
/// </summary>
public sealed class PixelCodecRegistry
{
    private readonly ConcurrentDictionary<string, IPixelCodec> _byUid = new(StringComparer.Ordinal);

    /// <summary>The registry with every built-in codec.</summary>
    public static PixelCodecRegistry Default { get; } = CreateDefault();

    /// <summary>Adds a codec for all its transfer syntaxes (a later registration for the same UID wins).</summary>
    public void Register(IPixelCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        foreach (var uid in codec.TransferSyntaxUids) _byUid[uid] = codec;
    }

    /// <summary>The codec for a transfer syntax, or null when none is registered.</summary>
    public IPixelCodec? Find(string transferSyntaxUid) =>
        _byUid.TryGetValue(transferSyntaxUid, out var codec) ? codec : null;

    /// <summary>The codec for a transfer syntax.</summary>
    /// <exception cref="UnsupportedTransferSyntaxException">No codec handles it.</exception>
    public IPixelCodec Get(string transferSyntaxUid) =>
        Find(transferSyntaxUid) ?? throw new UnsupportedTransferSyntaxException(
            $"no codec for transfer syntax {DicomTransferSyntax.Lookup(transferSyntaxUid)}");

    /// <summary>Transfer syntax UIDs with a registered codec.</summary>
    public IReadOnlyCollection<string> TransferSyntaxUids => [.. _byUid.Keys.Order(StringComparer.Ordinal)];

    private static PixelCodecRegistry CreateDefault()
    {
        var registry = new PixelCodecRegistry();
        // Built-in codecs register here, one line each (kept in one place so the list is easy to audit).
        registry.Register(new RleCodec());
        registry.Register(new DeflatedFrameCodec());
        registry.Register(new EncapsulatedUncompressedCodec());
        registry.Register(new Jpeg.JpegCodec());
        registry.Register(new JpegLs.JpegLsCodec());
        registry.Register(new Jpeg2000.Jpeg2000Codec());
        registry.Register(new HtJ2k.HtJ2kCodec());
        return registry;
    }
}
