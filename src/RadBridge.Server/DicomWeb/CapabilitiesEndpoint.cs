using Microsoft.AspNetCore.Http;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// <c>GET /dicomweb</c> and <c>/dicomweb/capabilities</c>: a short JSON description of the WADO, WADO-URI and DELETE
/// resources this server implements, with the media types and transfer syntaxes it negotiates. Kept to what the code
/// does (docs/CONFORMANCE.md has the full statement).
/// </summary>
internal static class CapabilitiesEndpoint
{
    public static IResult Get()
    {
        const string study = "/dicomweb/studies/{study}";
        const string series = study + "/series/{series}";
        const string instance = series + "/instances/{instance}";
        var description = new
        {
            service = "RadBridge DICOMweb (PS3.18)",
            authentication = new[] { "Basic", "Bearer (OAuth2, POST /connect/token)" },
            resources = new object[]
            {
                new
                {
                    name = "WADO-RS retrieve",
                    methods = new[] { "GET" },
                    paths = new[] { study, series, instance },
                    accept = new[] { "multipart/related; type=\"application/dicom\"; transfer-syntax={uid|*}", "application/dicom (one instance)" },
                    notes = "No transfer-syntax parameter means Explicit VR Little Endian; '*' sends files as stored; other syntaxes are transcoded when a codec can (else 406).",
                },
                new { name = "WADO-RS metadata", methods = new[] { "GET" }, paths = new[] { study + "/metadata", series + "/metadata", instance + "/metadata" }, accept = new[] { "application/dicom+json" }, notes = "Bulk values as BulkDataURI to /bulkdata." },
                new { name = "WADO-RS bulk data", methods = new[] { "GET" }, paths = new[] { instance + "/bulkdata/{tag or seq/item/…/tag}" }, accept = new[] { "multipart/related; type=\"application/octet-stream\"", "encapsulated pixel data: its frames' image media types" }, notes = "" },
                new
                {
                    name = "WADO-RS frames",
                    methods = new[] { "GET" },
                    paths = new[] { instance + "/frames/{list}" },
                    accept = new[] { "multipart/related; type=\"application/octet-stream\" (decoded)", "multipart/related; type=\"image/jpeg|image/jls|image/jp2|image/jphc|image/dicom-rle\"; transfer-syntax={uid|*}" },
                    notes = "Frame numbers are 1-based; out of range is 400.",
                },
                new { name = "WADO-RS rendered", methods = new[] { "GET" }, paths = new[] { instance + "/rendered", instance + "/frames/{frame}/rendered" }, accept = new[] { "image/jpeg", "image/png" }, notes = "Query: window=center,width[,linear|linear-exact|sigmoid], quality, viewport=width,height. An instance renders its first frame." },
                new { name = "WADO-RS thumbnail", methods = new[] { "GET" }, paths = new[] { study + "/thumbnail", series + "/thumbnail", instance + "/thumbnail", instance + "/frames/{frame}/thumbnail" }, accept = new[] { "image/jpeg", "image/png" }, notes = "128 pixels on the longest side." },
                new { name = "WADO-URI", methods = new[] { "GET" }, paths = new[] { "/wado", "/dicomweb/wado" }, accept = new[] { "contentType=image/jpeg|image/png|application/dicom" }, notes = "requestType=WADO, studyUID, seriesUID, objectUID, transferSyntax, frameNumber, rows, columns, windowCenter, windowWidth, imageQuality." },
                new { name = "Delete", methods = new[] { "DELETE" }, paths = new[] { study, series, instance }, accept = Array.Empty<string>(), notes = "Admins of the owning organisation only; 204 when deleted." },
            },
        };
        return Results.Json(description);
    }
}
