using System.Globalization;
using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Audit;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Rendering;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// WADO-RS <c>/rendered</c> and <c>/thumbnail</c> (PS3.18 §10.4.1.1.5–6): one frame through the Modality, VOI and
/// presentation LUTs to JPEG (default) or PNG. Query parameters: <c>window=center,width[,linear|linear-exact|sigmoid]</c>,
/// <c>quality=1..100</c>, <c>viewport=width,height</c> (fits the image inside, keeping its aspect ratio). An instance's
/// <c>/rendered</c> is its first frame; thumbnails are 128 pixels on the longest side, of the middle frame of the middle
/// instance of the (first) series.
/// </summary>
internal static class RenderedEndpoints
{
    private const int ThumbnailSide = 128;

    public static async Task RenderedAsync(HttpContext http, WadoContext wado, string study, string series, string instance, int? frameNumber)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        var format = ChooseFormat(http);
        var options = ParseOptions(http.Request.Query);
        var quality = ParseQuality(http.Request.Query["quality"]);
        var location = await RequireOneAsync(wado, caller, study, series, instance, "rendered", ct).ConfigureAwait(false);
        var opened = await wado.Instances.GetAsync(location, wado.FullPath(location), ct).ConfigureAwait(false);
        var pixels = opened.RequirePixelData(location.SopInstanceUid);
        var frame = frameNumber ?? 1;
        if (frame < 1 || frame > pixels.FrameCount) throw new DicomWebException(400, $"frame {frame} is out of range: the instance has {pixels.FrameCount} frame(s)");
        var bytes = Render(opened, pixels, frame - 1, options, format, quality);
        await WriteImageAsync(http, format, bytes, ct).ConfigureAwait(false);
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, true, $"WADO-RS rendered frame {frame}").ConfigureAwait(false);
    }

    public static async Task ThumbnailAsync(HttpContext http, WadoContext wado, string study, string? series, string? instance, int? frameNumber)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        var format = ChooseFormat(http);
        var instances = await RequireAllAsync(wado, caller, study, series, instance, "thumbnail", ct).ConfigureAwait(false);
        // The first series that has images (Rows indexed); its middle image by instance number.
        var images = instances.Where(i => i.IsImage).ToList();
        var firstSeries = (images.Count > 0 ? images : instances.ToList()).GroupBy(i => i.SeriesId).First().ToList();
        var chosen = firstSeries[firstSeries.Count / 2];
        var opened = await wado.Instances.GetAsync(chosen, wado.FullPath(chosen), ct).ConfigureAwait(false);
        var pixels = opened.RequirePixelData(chosen.SopInstanceUid);
        var frame = frameNumber ?? pixels.FrameCount / 2 + 1;
        if (frame < 1 || frame > pixels.FrameCount) throw new DicomWebException(400, $"frame {frame} is out of range: the instance has {pixels.FrameCount} frame(s)");
        var options = ParseOptions(http.Request.Query) with { FitInto = (ThumbnailSide, ThumbnailSide) };
        var bytes = Render(opened, pixels, frame - 1, options, format, ParseQuality(http.Request.Query["quality"]));
        await WriteImageAsync(http, format, bytes, ct).ConfigureAwait(false);
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, chosen.SeriesUid, chosen.SopInstanceUid, true, "WADO-RS thumbnail").ConfigureAwait(false);
    }

    /// <summary>Renders one frame (0-based) to JPEG or PNG bytes; 406 for a photometric or syntax the renderer cannot do.</summary>
    internal static byte[] Render(OpenInstance opened, DicomPixelData pixels, int frame, RenderOptions options, string format, int quality)
    {
        try
        {
            var image = DicomImageRenderer.RenderFrame(pixels, opened.File.Dataset, frame, options);
            return format == "image/png" ? PngWriter.Encode(image) : TurboJpegEncoder.Encode(image, quality);
        }
        catch (DicomException ex)
        {
            throw new DicomWebException(ex is Dicom.Imaging.Codecs.UnsupportedTransferSyntaxException ? 406 : 500, $"rendering failed: {ex.Message}");
        }
    }

    private static async Task WriteImageAsync(HttpContext http, string format, byte[] bytes, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = format;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    private static async Task<InstanceLocation> RequireOneAsync(WadoContext wado, Archive.Tenancy.ArchiveCaller caller, string study, string series, string instance, string what, CancellationToken ct) =>
        (await RequireAllAsync(wado, caller, study, series, instance, what, ct).ConfigureAwait(false))[0];

    private static async Task<IReadOnlyList<InstanceLocation>> RequireAllAsync(WadoContext wado, Archive.Tenancy.ArchiveCaller caller, string study, string? series, string? instance, string what, CancellationToken ct)
    {
        try
        {
            return await wado.RequireAsync(caller, study, series, instance, ct).ConfigureAwait(false);
        }
        catch (DicomWebException)
        {
            await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, false, $"WADO-RS {what}: not found").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>image/jpeg unless the Accept header prefers image/png; 406 when it accepts neither.</summary>
    internal static string ChooseFormat(HttpContext http)
    {
        foreach (var range in AcceptNegotiation.Parse(http.Request.Headers.Accept))
        {
            if (range.Matches("image/jpeg")) return "image/jpeg";
            if (range.Matches("image/png")) return "image/png";
        }
        throw new DicomWebException(406, "rendered images are available as image/jpeg or image/png");
    }

    internal static int ParseQuality(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 90;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q is >= 1 and <= 100
            ? q : throw new DicomWebException(400, $"quality={text}: expected a number from 1 to 100");
    }

    private static RenderOptions ParseOptions(IQueryCollection query)
    {
        var options = RenderOptions.Default;
        if (query["window"].ToString() is { Length: > 0 } window)
        {
            var parts = window.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length is < 2 or > 3 || !TryNumber(parts[0], out var center) || !TryNumber(parts[1], out var width) || width <= 0)
                throw new DicomWebException(400, $"window={window}: expected center,width[,function] with a positive width");
            var function = VoiLutFunction.Linear;
            if (parts.Length == 3)
            {
                function = parts[2].ToLowerInvariant() switch
                {
                    "linear" => VoiLutFunction.Linear,
                    "linear-exact" or "linear_exact" => VoiLutFunction.LinearExact,
                    "sigmoid" => VoiLutFunction.Sigmoid,
                    _ => throw new DicomWebException(400, $"window={window}: the function must be linear, linear-exact or sigmoid"),
                };
            }
            options = options with { Window = new WindowLevel(center, width, function) };
        }
        if (query["viewport"].ToString() is { Length: > 0 } viewport)
        {
            options = options with { FitInto = ParseViewport(viewport) };
        }
        return options;
    }

    internal static (int Width, int Height) ParseViewport(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || w is < 1 or > 8192 || h is < 1 or > 8192)
            throw new DicomWebException(400, $"viewport={text}: expected width,height from 1 to 8192 (cropping parameters are not supported)");
        return (w, h);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
