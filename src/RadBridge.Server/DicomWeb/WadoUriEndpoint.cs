using System.Globalization;
using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Audit;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// WADO-URI (PS3.18 Chapter 9): <c>GET /wado?requestType=WADO&amp;studyUID=…&amp;seriesUID=…&amp;objectUID=…</c> with
/// <c>contentType</c> (image/jpeg, the default for images; image/png; application/dicom, the default otherwise),
/// <c>transferSyntax</c> (for application/dicom; default Explicit VR Little Endian, <c>*</c> for as stored),
/// <c>frameNumber</c>, <c>rows</c>/<c>columns</c>, <c>windowCenter</c>/<c>windowWidth</c> and <c>imageQuality</c>.
/// Served at <c>/wado</c> and <c>/dicomweb/wado</c>, authenticated like the rest of DICOMweb.
/// </summary>
internal static class WadoUriEndpoint
{
    public static async Task HandleAsync(HttpContext http, WadoContext wado)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        var q = http.Request.Query;
        if (!string.Equals(q["requestType"], "WADO", StringComparison.Ordinal))
            throw new DicomWebException(400, "requestType=WADO is required");
        var study = Required(q, "studyUID");
        var series = Required(q, "seriesUID");
        var instance = Required(q, "objectUID");
        InstanceLocation location;
        try
        {
            location = (await wado.RequireAsync(caller, study, series, instance, ct).ConfigureAwait(false))[0];
        }
        catch (DicomWebException)
        {
            await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, false, "WADO-URI: not found").ConfigureAwait(false);
            throw;
        }

        var opened = await wado.Instances.GetAsync(location, wado.FullPath(location), ct).ConfigureAwait(false);
        var contentType = ChooseContentType(q["contentType"].ToString(), opened.PixelData is not null);
        if (contentType == TransferSyntaxMediaTypes.Dicom)
        {
            var wanted = q["transferSyntax"].ToString() is { Length: > 0 } ts ? ts : TransferSyntaxMediaTypes.ExplicitVRLittleEndian;
            http.Request.Headers.Accept = $"{TransferSyntaxMediaTypes.Dicom}; transfer-syntax={wanted}";
            // The same single-part retrieve as WADO-RS, which audits it.
            await RetrieveEndpoints.RetrieveAsync(http, wado, study, series, instance).ConfigureAwait(false);
            return;
        }

        var pixels = opened.RequirePixelData(instance);
        var frame = 1;
        if (q["frameNumber"].ToString() is { Length: > 0 } f &&
            (!int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out frame) || frame < 1 || frame > pixels.FrameCount))
            throw new DicomWebException(400, $"frameNumber={f} is out of range: the instance has {pixels.FrameCount} frame(s)");
        var options = Dicom.Imaging.Rendering.RenderOptions.Default;
        if (q["windowCenter"].ToString() is { Length: > 0 } wc | q["windowWidth"].ToString() is { Length: > 0 } ww)
        {
            if (!double.TryParse(q["windowCenter"], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ||
                !double.TryParse(q["windowWidth"], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || w <= 0)
                throw new DicomWebException(400, "windowCenter and windowWidth must both be given, as numbers with a positive width");
            options = options with { Window = new Dicom.Imaging.Rendering.WindowLevel(c, w) };
        }
        var rows = q["rows"].ToString();
        var columns = q["columns"].ToString();
        if (rows.Length > 0 || columns.Length > 0)
        {
            // One of the two alone bounds only that side: the other is left free (the aspect ratio is kept).
            options = options with { FitInto = RenderedEndpoints.ParseViewport($"{(columns.Length > 0 ? columns : "8192")},{(rows.Length > 0 ? rows : "8192")}") };
        }
        var bytes = RenderedEndpoints.Render(opened, pixels, frame - 1, options, contentType, RenderedEndpoints.ParseQuality(q["imageQuality"]));
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, ct).ConfigureAwait(false);
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, true, $"WADO-URI {contentType} frame {frame}").ConfigureAwait(false);
    }

    private static string Required(IQueryCollection q, string name) =>
        q[name].ToString() is { Length: > 0 } v ? v : throw new DicomWebException(400, $"{name} is required");

    /// <summary>The first supported type of the contentType list (PS3.18 §9.1.2.1.4); 406 when none is.</summary>
    private static string ChooseContentType(string list, bool isImage)
    {
        if (list.Length == 0) return isImage ? "image/jpeg" : TransferSyntaxMediaTypes.Dicom;
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var type = item.Split(';')[0].Trim().ToLowerInvariant();
            if (type == TransferSyntaxMediaTypes.Dicom) return type;
            if (isImage && type is "image/jpeg" or "image/png") return type;
            if (isImage && type is "image/*" or "*/*") return "image/jpeg";
        }
        throw new DicomWebException(406, $"contentType={list}: supported are application/dicom{(isImage ? ", image/jpeg and image/png" : " (the object is not an image)")}");
    }
}
