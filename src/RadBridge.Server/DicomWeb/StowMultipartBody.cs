using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Walks the multipart/related body of a STOW-RS request part by part (ASP.NET Core's streaming
/// <see cref="MultipartReader"/>: each part's body is a stream over the request, never buffered whole) and hands each
/// part to the instance receiver or, for DICOM JSON, to <see cref="StowJsonPayload"/>.
/// </summary>
public static class StowMultipartBody
{
    /// <summary>Parts per request: a large study is a few thousand instances; a runaway client is stopped here.</summary>
    public const int MaxParts = 10_000;

    /// <summary>Bytes of one part's header block (Kestrel bounds the request's own headers separately).</summary>
    public const int MaxPartHeaderBytes = 16 * 1024;

    /// <summary>Header lines of one part.</summary>
    public const int MaxPartHeaderCount = 32;

    private const int ReadBufferSize = 64 * 1024;

    /// <summary>Reads every part. A broken body throws <see cref="StowRequestException"/> after the parts before it were handed over.</summary>
    public static async Task ReadAsync(Stream body, StowContentType contentType, StowInstanceReceiver receiver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(contentType);
        ArgumentNullException.ThrowIfNull(receiver);
        var reader = new MultipartReader(contentType.Boundary, body, ReadBufferSize)
        {
            HeadersLengthLimit = MaxPartHeaderBytes,
            HeadersCountLimit = MaxPartHeaderCount,
            BodyLengthLimit = null,
        };
        var payload = contentType.Payload;
        StowJsonPayload? json = null;
        var part = 0;
        try
        {
            while (true)
            {
                var section = await GuardValue(() => reader.ReadNextSectionAsync(ct), part).ConfigureAwait(false);
                if (section is null) break;
                part++;
                if (part > MaxParts) throw new StowRequestException($"the request has more than {MaxParts} parts; send the instances in several requests");
                var partType = section.ContentType;
                // Without a type parameter (tolerated), the first part's media type decides what the request is.
                payload ??= StowContentType.IsMediaType(partType, "application/dicom+json") ? StowPayload.DicomJson : StowPayload.Dicom;
                if (payload == StowPayload.DicomJson)
                {
                    json ??= new StowJsonPayload(receiver);
                    await Guard(() => json.AddPartAsync(section, part, ct), part).ConfigureAwait(false);
                    continue;
                }
                if (partType is not null && !StowContentType.IsMediaType(partType, "application/dicom"))
                {
                    receiver.AddFailure(StowInstanceResult.Failure(part, StowFailureReasons.CannotUnderstand,
                        $"part {part} has Content-Type {StowContentType.Clip(partType)}; this request's parts must be application/dicom"));
                    await Guard(() => section.Body.CopyToAsync(Stream.Null, ct), part).ConfigureAwait(false);
                    continue;
                }
                await Guard(() => receiver.AcceptAsync(section.Body, part, ct), part).ConfigureAwait(false);
            }
            if (part == 0) throw new StowRequestException($"the multipart body has no parts (no part after the boundary \"--{contentType.Boundary}\")");
            if (json is not null) await json.CompleteAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            json?.DeleteSpooledBulkData();
        }
    }

    /// <summary>Turns the multipart reader's and Kestrel's complaints about the body into a 400 naming where it broke.</summary>
    private static async Task<T> GuardValue<T>(Func<Task<T>> step, int partsSoFar)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BadHttpRequestException)
        {
            var where = partsSoFar == 0 ? "before its first part" : $"in or after part {partsSoFar}";
            throw new StowRequestException($"the multipart body is malformed {where}: {ex.Message}", ex);
        }
    }

    private static async Task Guard(Func<Task> step, int partsSoFar) =>
        await GuardValue(async () => { await step().ConfigureAwait(false); return true; }, partsSoFar).ConfigureAwait(false);

    /// <summary>A part header's parameter (e.g. transfer-syntax of a bulk data part's Content-Type).</summary>
    internal static string? ContentTypeParameter(MultipartSection section, string name) =>
        section.ContentType is { } ct && MediaTypeHeaderValue.TryParse(ct, out var media)
            ? media.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } p ? HeaderUtilities.RemoveQuotes(p.Value).Value : null
            : null;
}
