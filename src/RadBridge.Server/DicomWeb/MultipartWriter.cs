using System.Text;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Writes a <c>multipart/related</c> body (RFC 2387, as PS3.18 §8.7.3.4 uses it) straight to the response stream, one
/// part at a time, so large retrievals are never buffered whole.
/// </summary>
internal sealed class MultipartWriter(Stream body)
{
    private bool _started;

    public string Boundary { get; } = "rb-" + Guid.NewGuid().ToString("N");

    /// <summary>The response Content-Type: <c>multipart/related; type="PARTTYPE"; boundary=…</c>.</summary>
    public string ContentType(string partType) => $"multipart/related; type=\"{partType}\"; boundary={Boundary}";

    /// <summary>Starts a part (ending the previous one); then write its bytes to <see cref="Body"/>.</summary>
    public async Task BeginPartAsync(string contentType, CancellationToken ct, string? contentLocation = null)
    {
        var head = new StringBuilder();
        head.Append(_started ? "\r\n--" : "--").Append(Boundary).Append("\r\nContent-Type: ").Append(contentType).Append("\r\n");
        if (contentLocation is not null) head.Append("Content-Location: ").Append(contentLocation).Append("\r\n");
        head.Append("\r\n");
        _started = true;
        await body.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct).ConfigureAwait(false);
    }

    /// <summary>Where the current part's bytes go.</summary>
    public Stream Body => body;

    /// <summary>Writes a whole part.</summary>
    public async Task WritePartAsync(string contentType, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await BeginPartAsync(contentType, ct).ConfigureAwait(false);
        await body.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    /// <summary>Writes the closing delimiter.</summary>
    public async Task EndAsync(CancellationToken ct)
    {
        var tail = (_started ? "\r\n--" : "--") + Boundary + "--\r\n";
        await body.WriteAsync(Encoding.ASCII.GetBytes(tail), ct).ConfigureAwait(false);
        await body.FlushAsync(ct).ConfigureAwait(false);
    }
}
