using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// STOW-RS, the Store transaction of PS3.18 §10.5: <c>POST /dicomweb/studies</c> and <c>POST /dicomweb/studies/{study}</c>
/// with a multipart/related body of PS3.10 files or of DICOM JSON plus bulk data. Authenticated callers whose role may
/// store (<see cref="ArchiveRoles.CanStore"/>) store into their own organisation.
/// </summary>
public static partial class StowEndpoints
{
    public static IEndpointRouteBuilder MapStow(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/dicomweb/studies", (HttpContext context) => StoreAsync(context, null))
            .RequireAuthorization().ExcludeFromDescription();
        app.MapPost("/dicomweb/studies/{study}", (HttpContext context, string study) => StoreAsync(context, study))
            .RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task StoreAsync(HttpContext context, string? study)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StowEndpoints));
        var caller = context.GetArchiveCaller();
        if (caller is null)
        {
            await ProblemAsync(context, StatusCodes.Status403Forbidden, "the credentials carry no RadBridge organisation and role").ConfigureAwait(false);
            return;
        }
        if (!ArchiveRoles.CanStore(caller.Role))
        {
            await ProblemAsync(context, StatusCodes.Status403Forbidden, $"the role '{caller.Role}' may not store instances").ConfigureAwait(false);
            return;
        }
        if (study is not null && !InstanceFileStore.IsValidUid(study))
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, $"'{StowContentType.Clip(study)}' in the URL is not a valid Study Instance UID").ConfigureAwait(false);
            return;
        }
        var xml = WantsXml(context.Request);
        if (xml is null)
        {
            await ProblemAsync(context, StatusCodes.Status406NotAcceptable, "STOW-RS answers with application/dicom+json or application/dicom+xml; the Accept header allows neither").ConfigureAwait(false);
            return;
        }

        var ct = context.RequestAborted;
        using var receiver = new StowInstanceReceiver(services.GetRequiredService<ArchiveIngest>(),
            new IngestSource(caller.OrganizationId, caller.Name, "STOW", caller.RemoteAddress), study, logger);
        StowRequestException? broken = null;
        IReadOnlyList<StowInstanceResult> results;
        try
        {
            var contentType = StowContentType.Parse(context.Request.ContentType);
            await StowMultipartBody.ReadAsync(context.Request.Body, contentType, receiver, ct).ConfigureAwait(false);
        }
        catch (StowRequestException ex)
        {
            broken = ex;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; what was received is finished below (durable either way) and no one is answered.
        }
        finally
        {
            // Every started ingest ends before the request does, whatever happened to the body.
            results = await receiver.CompleteAsync().ConfigureAwait(false);
        }
        if (ct.IsCancellationRequested) return;
        if (broken is not null)
        {
            LogRejected(logger, caller.Name, broken.StatusCode, broken.Message);
            if (!results.Any(r => r.Succeeded))
            {
                await ProblemAsync(context, broken.StatusCode, broken.Message, results).ConfigureAwait(false);
                return;
            }
            // Some instances were stored before the body broke: they stay stored, and the break is one more failure.
            results = [.. results, StowInstanceResult.Failure(results.Count + 1, StowFailureReasons.CannotUnderstand, broken.Message)];
        }

        var response = StowResponse.Build(results, DicomWebUrls.RetrieveUrls(context.Request), study);
        var storedCount = results.Count(r => r.Succeeded);
        LogStored(logger, caller.Name, storedCount, results.Count - storedCount, response.StatusCode);
        context.Response.StatusCode = response.StatusCode;
        foreach (var w in response.Warnings) context.Response.Headers.Append(HeaderNames.Warning, w);
        var bytes = xml.Value
            ? DicomXml.SerializeToUtf8Bytes(response.Dataset, new DicomXmlOptions { BulkDataUriFactory = null })
            : DicomJson.SerializeToUtf8Bytes(response.Dataset, new DicomJsonOptions { BulkDataUriFactory = null });
        context.Response.ContentType = xml.Value ? DicomXml.MediaType : DicomJson.MediaType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    /// <summary>True for XML, false for JSON (the default), null when the Accept header allows neither.</summary>
    private static bool? WantsXml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0) return false;
        double Quality(string mediaType) => accept
            .Where(a => a.MatchesMediaType(mediaType) && a.Quality is not 0)
            .Select(a => a.Quality ?? 1.0).DefaultIfEmpty(-1).Max();
        var json = Math.Max(Quality("application/dicom+json"), Quality("application/json"));
        var xml = Quality("application/dicom+xml");
        if (json < 0 && xml < 0) return null;
        return xml > json;
    }

    private static async Task ProblemAsync(HttpContext context, int status, string detail, IReadOnlyList<StowInstanceResult>? failures = null)
    {
        if (failures is not null)
        {
            foreach (var f in failures.Where(f => !f.Succeeded).Take(20)) context.Response.Headers.Append(HeaderNames.Warning, StowResponse.Warning(f.Problem ?? "failed"));
        }
        await Results.Problem(detail: detail, statusCode: status, title: status switch
        {
            StatusCodes.Status400BadRequest => "Malformed STOW-RS request",
            StatusCodes.Status403Forbidden => "Not allowed to store",
            StatusCodes.Status406NotAcceptable => "Not acceptable",
            StatusCodes.Status413PayloadTooLarge => "Too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => "STOW-RS request refused",
        }).ExecuteAsync(context).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "STOW by {User}: {Stored} stored, {Failed} failed, HTTP {Status}")]
    private static partial void LogStored(ILogger logger, string user, int stored, int failed, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW by {User} refused with HTTP {Status}: {Problem}")]
    private static partial void LogRejected(ILogger logger, string user, int status, string problem);
}
