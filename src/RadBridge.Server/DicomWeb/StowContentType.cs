using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace RadBridge.Server.DicomWeb;

/// <summary>What a STOW-RS request's body holds: which root media type, and the multipart boundary.</summary>
public enum StowPayload
{
    /// <summary>Every part is a PS3.10 file (<c>application/dicom</c>).</summary>
    Dicom,

    /// <summary>The first part is a DICOM JSON array of instances, the others bulk data they reference.</summary>
    DicomJson,
}

/// <summary>
/// Reads the request's Content-Type per PS3.18 §10.5.1.2: <c>multipart/related; type="application/dicom" |
/// "application/dicom+json"; boundary=…</c>. A body that is not multipart/related, or whose root type the server does not
/// take, is 415; a multipart/related header without a usable boundary is 400.
/// </summary>
public sealed record StowContentType(StowPayload? Payload, string Boundary)
{
    /// <summary>
    /// RFC 2046 §5.1.1 says at most 70 characters, but Orthanc's DICOMweb plugin sends 73: be liberal, yet bounded
    /// (the reader keeps the boundary in memory and scans for it).
    /// </summary>
    public const int MaxBoundaryLength = 256;

    public static StowContentType Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new StowRequestException(StatusCodes.Status415UnsupportedMediaType,
                "STOW-RS needs Content-Type: multipart/related; type=\"application/dicom\"; boundary=... (the request has no Content-Type)");
        }
        if (!MediaTypeHeaderValue.TryParse(header, out var media) || media.MediaType.Value is null)
        {
            throw new StowRequestException($"the Content-Type '{Clip(header)}' cannot be parsed");
        }
        if (!media.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            throw new StowRequestException(StatusCodes.Status415UnsupportedMediaType,
                $"STOW-RS takes multipart/related bodies, not {media.MediaType.Value}");
        }
        var type = Parameter(media, "type");
        StowPayload? payload = type switch
        {
            null => null, // RFC 2387 requires it; tolerated, the first part's Content-Type then decides.
            _ when IsMediaType(type, "application/dicom") => StowPayload.Dicom,
            _ when IsMediaType(type, "application/dicom+json") => StowPayload.DicomJson,
            _ => throw new StowRequestException(StatusCodes.Status415UnsupportedMediaType,
                $"multipart/related of type \"{Clip(type)}\" is not supported: use type=\"application/dicom\" or type=\"application/dicom+json\""),
        };
        var boundary = Parameter(media, "boundary");
        if (string.IsNullOrEmpty(boundary)) throw new StowRequestException("the multipart/related Content-Type has no boundary parameter");
        if (boundary.Length > MaxBoundaryLength) throw new StowRequestException($"the multipart boundary is {boundary.Length} characters long; at most {MaxBoundaryLength} are accepted (RFC 2046 allows 70)");
        return new StowContentType(payload, boundary);
    }

    /// <summary>Whether a part's or parameter's media type is <paramref name="expected"/>, ignoring parameters and case.</summary>
    public static bool IsMediaType(string? value, string expected)
    {
        if (value is null) return false;
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon >= 0 ? value[..semicolon] : value).Trim().Trim('"');
        return bare.Equals(expected, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Parameter(MediaTypeHeaderValue media, string name)
    {
        var p = media.Parameters.FirstOrDefault(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (p is null) return null;
        return HeaderUtilities.RemoveQuotes(p.Value).Value;
    }

    internal static string Clip(string value) => value.Length <= 100 ? value : value[..97] + "...";

    internal static string? ParameterOf(StringValues contentType, string name) =>
        MediaTypeHeaderValue.TryParse(contentType.ToString(), out var media) ? Parameter(media, name) : null;
}
