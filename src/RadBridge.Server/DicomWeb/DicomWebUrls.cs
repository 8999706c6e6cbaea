using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Query;

namespace RadBridge.Server.DicomWeb;

/// <summary>The WADO-RS URLs of studies, series and instances, as the client reached this server (QIDO and STOW Retrieve URLs).</summary>
internal static class DicomWebUrls
{
    public static RetrieveUrlBuilder RetrieveUrls(HttpRequest request)
    {
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}/dicomweb";
        return (study, series, instance) =>
            series is null ? $"{root}/studies/{study}"
            : instance is null ? $"{root}/studies/{study}/series/{series}"
            : $"{root}/studies/{study}/series/{series}/instances/{instance}";
    }
}
