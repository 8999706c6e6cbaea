using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Maps WADO-RS (retrieve, metadata, bulk data, frames, rendered, thumbnail), WADO-URI, DELETE and the capabilities
/// description under <c>/dicomweb</c>, all authenticated and audited, with errors turned into Problem Details here.
/// </summary>
public static class WadoEndpoints
{
    private const string Study = "/studies/{study}";
    private const string Series = Study + "/series/{series}";
    private const string Instance = Series + "/instances/{instance}";

    public static IEndpointRouteBuilder MapWado(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var wado = new WadoContext(app.ServiceProvider);
        var group = app.MapGroup("/dicomweb").RequireAuthorization().AddEndpointFilter(ProblemDetailsFilter).ExcludeFromDescription();

        group.MapGet("", CapabilitiesEndpoint.Get).AllowAnonymous();
        group.MapGet("/capabilities", CapabilitiesEndpoint.Get).AllowAnonymous();

        group.MapGet(Study, (HttpContext h, string study) => RetrieveEndpoints.RetrieveAsync(h, wado, study, null, null));
        group.MapGet(Series, (HttpContext h, string study, string series) => RetrieveEndpoints.RetrieveAsync(h, wado, study, series, null));
        group.MapGet(Instance, (HttpContext h, string study, string series, string instance) => RetrieveEndpoints.RetrieveAsync(h, wado, study, series, instance));

        group.MapGet(Study + "/metadata", (HttpContext h, string study) => MetadataEndpoints.MetadataAsync(h, wado, study, null, null));
        group.MapGet(Series + "/metadata", (HttpContext h, string study, string series) => MetadataEndpoints.MetadataAsync(h, wado, study, series, null));
        group.MapGet(Instance + "/metadata", (HttpContext h, string study, string series, string instance) => MetadataEndpoints.MetadataAsync(h, wado, study, series, instance));

        group.MapGet(Instance + "/bulkdata/{**path}", (HttpContext h, string study, string series, string instance, string path) => FramesEndpoints.BulkDataAsync(h, wado, study, series, instance, path));
        group.MapGet(Instance + "/frames/{frames}", (HttpContext h, string study, string series, string instance, string frames) => FramesEndpoints.FramesAsync(h, wado, study, series, instance, frames));

        group.MapGet(Instance + "/rendered", (HttpContext h, string study, string series, string instance) => RenderedEndpoints.RenderedAsync(h, wado, study, series, instance, null));
        group.MapGet(Instance + "/frames/{frame:int}/rendered", (HttpContext h, string study, string series, string instance, int frame) => RenderedEndpoints.RenderedAsync(h, wado, study, series, instance, frame));
        group.MapGet(Study + "/thumbnail", (HttpContext h, string study) => RenderedEndpoints.ThumbnailAsync(h, wado, study, null, null, null));
        group.MapGet(Series + "/thumbnail", (HttpContext h, string study, string series) => RenderedEndpoints.ThumbnailAsync(h, wado, study, series, null, null));
        group.MapGet(Instance + "/thumbnail", (HttpContext h, string study, string series, string instance) => RenderedEndpoints.ThumbnailAsync(h, wado, study, series, instance, null));
        group.MapGet(Instance + "/frames/{frame:int}/thumbnail", (HttpContext h, string study, string series, string instance, int frame) => RenderedEndpoints.ThumbnailAsync(h, wado, study, series, instance, frame));

        group.MapDelete(Study, (HttpContext h, string study) => DeleteEndpoints.DeleteAsync(h, wado, study, null, null));
        group.MapDelete(Series, (HttpContext h, string study, string series) => DeleteEndpoints.DeleteAsync(h, wado, study, series, null));
        group.MapDelete(Instance, (HttpContext h, string study, string series, string instance) => DeleteEndpoints.DeleteAsync(h, wado, study, series, instance));

        // WADO-URI: at /dicomweb/wado beside the rest, and at /wado where DICOM-era clients look for it.
        group.MapGet("/wado", (HttpContext h) => WadoUriEndpoint.HandleAsync(h, wado));
        app.MapGet("/wado", (HttpContext h) => WadoUriEndpoint.HandleAsync(h, wado)).RequireAuthorization().AddEndpointFilter(ProblemDetailsFilter).ExcludeFromDescription();
        return app;
    }

    /// <summary>The one place DICOMweb errors become HTTP: Problem Details before the response starts, a reset after.</summary>
    private static async ValueTask<object?> ProblemDetailsFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (DicomWebException ex) when (!http.Response.HasStarted)
        {
            return Results.Problem(statusCode: ex.Status, detail: ex.Message);
        }
        catch (DicomException ex) when (!http.Response.HasStarted)
        {
            // A stored file the index points at cannot be read as it should: the server's fault, said plainly.
            return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, detail: $"a stored instance could not be read: {ex.Message}");
        }
        catch (Exception ex) when (ex is DicomWebException or DicomException or IOException && http.Response.HasStarted)
        {
            http.Abort();
            return null;
        }
    }
}
