using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Query;
using RadBridge.Archive.Storage;
using RadBridge.Dicom.Network.Services.Query;
using RadBridge.Server.Auth;
using RadBridge.Server.Hosting;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// QIDO-RS (PS3.18 10.6): searches for studies, series and instances, at the top level and relative to a study or
/// series, answered by <see cref="ArchiveQueryService"/> from the caller's tenant scope. Results are
/// <c>application/dicom+json</c>; paging with <c>limit</c>/<c>offset</c>, and a <c>Warning: 299</c> header when more
/// results remain or a key was not used for matching.
/// </summary>
public static class QidoEndpoints
{
    public static IEndpointRouteBuilder MapQido(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The casts pick the route-handler overload (the result is written), not RequestDelegate.
        var group = app.MapGroup("/dicomweb").RequireAuthorization().WithTags("DICOMweb QIDO-RS");
        group.MapGet("/studies", (Delegate)((HttpContext http) => SearchAsync(http, QueryLevel.Study, null, null)));
        group.MapGet("/series", (Delegate)((HttpContext http) => SearchAsync(http, QueryLevel.Series, null, null)));
        group.MapGet("/instances", (Delegate)((HttpContext http) => SearchAsync(http, QueryLevel.Image, null, null)));
        group.MapGet("/studies/{study}/series", (HttpContext http, string study) => SearchAsync(http, QueryLevel.Series, study, null));
        group.MapGet("/studies/{study}/instances", (HttpContext http, string study) => SearchAsync(http, QueryLevel.Image, study, null));
        group.MapGet("/studies/{study}/series/{series}/instances", (HttpContext http, string study, string series) => SearchAsync(http, QueryLevel.Image, study, series));
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, QueryLevel level, string? study, string? series)
    {
        var caller = http.GetArchiveCaller();
        if (caller is null) return Results.Problem("the credentials carry no RadBridge organisation or role", statusCode: StatusCodes.Status403Forbidden);
        if (!AcceptsJson(http.Request)) return Results.Problem("QIDO-RS answers application/dicom+json (or application/json)", statusCode: StatusCodes.Status406NotAcceptable);

        IndexQuery query;
        try
        {
            var parameters = http.Request.Query
                .Where(p => !QidoQueryParser.TransportParameters.Contains(p.Key))
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")));
            query = QidoQueryParser.Parse(level, parameters, study, series);
        }
        catch (IndexQueryException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "invalid QIDO-RS query");
        }

        var services = http.RequestServices;
        var ct = http.RequestAborted;
        QueryResult result;
        await using (var db = await services.GetRequiredService<IDbContextFactory<ArchiveDbContext>>().CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            var engine = new ArchiveQueryService(services.GetRequiredService<InstanceFileStore>(), DicomWebUrls.RetrieveUrls(http.Request));
            try
            {
                result = await engine.FindAsync(db, caller, query, ct).ConfigureAwait(false);
            }
            catch (IndexQueryException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "invalid QIDO-RS query");
            }
        }
        services.GetRequiredService<ArchiveMetrics>().Queries.Add(1, new KeyValuePair<string, object?>("channel", "QIDO"), new KeyValuePair<string, object?>("level", level.Code()));
        await services.GetRequiredService<IAuditSink>().RecordAsync(new AuditEvent
        {
            Actor = caller.Name,
            OrganizationId = caller.OrganizationId,
            Action = AuditActions.Query,
            Channel = "DICOMweb",
            RemoteAddress = caller.RemoteAddress,
            StudyInstanceUid = study,
            SeriesInstanceUid = series,
            Outcome = "success",
            Detail = $"QIDO {http.Request.Path}{http.Request.QueryString} → {result.Matches.Count} results",
        }, ct).ConfigureAwait(false);

        var warnings = result.Warnings.ToList();
        if (result.HasMore) warnings.Add("There are additional results that can be requested");
        foreach (var warning in warnings)
        {
            // RFC 7234 warn-text is a quoted-string: no raw quotes or line breaks.
            http.Response.Headers.Append("Warning", $"299 RadBridge \"{warning.Replace('"', '\'').ReplaceLineEndings(" ")}\"");
        }
        return new DicomJsonResult(result.Matches);
    }

    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (request.Query.TryGetValue("accept", out var fromQuery)) accept = fromQuery.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return true;
        return accept.Split(',').Select(a => a.Split(';')[0].Trim()).Any(m =>
            m is "*/*" or "application/*" or "application/json" ||
            m.Equals("application/dicom+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A DICOM JSON array written straight to the response body.</summary>
    private sealed class DicomJsonResult(IReadOnlyList<DicomDataset> datasets) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/dicom+json";
            var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
            await using (writer.ConfigureAwait(false))
            {
                DicomJson.WriteArray(writer, datasets);
                await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
