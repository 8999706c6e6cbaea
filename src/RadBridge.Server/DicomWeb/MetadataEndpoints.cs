using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Audit;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// WADO-RS <c>/metadata</c> (PS3.18 §10.4.1.1.2) of a study, series or instance as <c>application/dicom+json</c>, bulk
/// values (pixel data and other large binary values) as BulkDataURIs to this server's <c>/bulkdata</c> resource. Series
/// metadata comes from the cache; a study's is the concatenation of its series'.
/// </summary>
internal static class MetadataEndpoints
{
    public static async Task MetadataAsync(HttpContext http, WadoContext wado, string study, string? series, string? instance)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        RequireJson(http);
        IReadOnlyList<byte[]> arrays;
        if (instance is not null)
        {
            var found = await wado.RequireAsync(caller, study, series, instance, ct).ConfigureAwait(false);
            arrays = [await wado.Metadata.BuildAsync(found, ct).ConfigureAwait(false)];
        }
        else if (series is not null)
        {
            var json = await wado.Metadata.GetSeriesAsync(caller, study, series, ct).ConfigureAwait(false);
            arrays = json is null ? [] : [json];
        }
        else
        {
            arrays = await wado.Metadata.GetStudyAsync(caller, study, ct).ConfigureAwait(false);
        }
        if (arrays.Count == 0)
        {
            await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, false, "WADO-RS metadata: not found").ConfigureAwait(false);
            throw new DicomWebException(404, WadoLookup.NotFoundMessage(study, series, instance));
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = DicomJson.MediaType;
        var origin = System.Text.Encoding.ASCII.GetBytes($"{http.Request.Scheme}://{http.Request.Host}");
        var body = http.Response.Body;
        if (arrays.Count == 1)
        {
            await SeriesMetadataStore.WriteAsync(body, arrays[0], origin, ct).ConfigureAwait(false);
        }
        else
        {
            // Concatenate the arrays' contents: "[" a "," b "]", skipping empty ones.
            await body.WriteAsync("["u8.ToArray(), ct).ConfigureAwait(false);
            var first = true;
            foreach (var array in arrays)
            {
                var inner = Inner(array);
                if (inner.IsEmpty) continue;
                if (!first) await body.WriteAsync(","u8.ToArray(), ct).ConfigureAwait(false);
                first = false;
                await SeriesMetadataStore.WriteAsync(body, inner, origin, ct).ConfigureAwait(false);
            }
            await body.WriteAsync("]"u8.ToArray(), ct).ConfigureAwait(false);
        }
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, true, "WADO-RS metadata").ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> Inner(byte[] array)
    {
        var span = array.AsSpan();
        var start = span.IndexOf((byte)'[');
        var end = span.LastIndexOf((byte)']');
        return start < 0 || end <= start ? ReadOnlyMemory<byte>.Empty : TrimWhitespace(array.AsMemory(start + 1, end - start - 1));
    }

    private static ReadOnlyMemory<byte> TrimWhitespace(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') start++;
        var end = span.Length;
        while (end > start && span[end - 1] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') end--;
        return bytes[start..end];
    }

    private static void RequireJson(HttpContext http)
    {
        var ranges = AcceptNegotiation.Parse(http.Request.Headers.Accept);
        if (!ranges.Any(r => r.Matches(DicomJson.MediaType) || r.Type == "application/json"))
            throw new DicomWebException(406, "metadata is available as application/dicom+json only");
    }
}
