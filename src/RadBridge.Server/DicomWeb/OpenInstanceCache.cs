using RadBridge.Dicom.Imaging;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// An instance's parsed header with its pixel data located but not read: the frames and rendering endpoints then read
/// only the bytes of the frame asked for.
/// </summary>
internal sealed class OpenInstance
{
    private readonly Lazy<DicomPixelData?> _pixelData;

    public OpenInstance(DicomFile file)
    {
        File = file;
        _pixelData = new(() => HasPixelData(file.Dataset) ? DicomPixelData.Create(file) : null);
    }

    public DicomFile File { get; }

    /// <summary>The pixel data, or null for an instance without any (a report, a plan).</summary>
    /// <exception cref="DicomException">The Image Pixel module is inconsistent with the pixel data.</exception>
    public DicomPixelData? PixelData => _pixelData.Value;

    /// <summary>The pixel data; 400 when the instance has none.</summary>
    public DicomPixelData RequirePixelData(string sopInstanceUid) =>
        PixelData ?? throw new DicomWebException(400, $"instance {sopInstanceUid} has no pixel data (it is not an image)");

    private static bool HasPixelData(DicomDataset d) =>
        d.Contains(DicomTags.PixelData) || d.Contains(DicomTags.FloatPixelData) || d.Contains(DicomTags.DoubleFloatPixelData);
}

/// <summary>
/// A small LRU of <see cref="OpenInstance"/>s keyed by index row, so a viewer scrolling through frames or asking for
/// renderings again does not re-parse the file header each time. A replaced instance has a new row (new key); lazy
/// values check their file is unchanged before reading, so a stale entry fails rather than serving wrong bytes.
/// </summary>
internal sealed class OpenInstanceCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, LinkedListNode<(long Key, OpenInstance Value)>> _map = [];
    private readonly LinkedList<(long Key, OpenInstance Value)> _order = new();

    /// <summary>The opened instance, from the cache or by reading the file's header (bulk values stay on disk).</summary>
    public async Task<OpenInstance> GetAsync(InstanceLocation instance, string fullPath, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(instance.Id, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Value;
            }
        }
        DicomFile file;
        try
        {
            file = await DicomFile.OpenAsync(fullPath, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // The row was there a moment ago: the instance was deleted meanwhile.
            throw new DicomWebException(404, $"instance {instance.SopInstanceUid} was not found");
        }
        var opened = new OpenInstance(file);
        lock (_gate)
        {
            if (_map.TryGetValue(instance.Id, out var raced)) return raced.Value.Value;
            _map[instance.Id] = _order.AddFirst((instance.Id, opened));
            while (_map.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
        return opened;
    }
}
