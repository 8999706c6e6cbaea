using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Deletion;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// DELETE of a study, series or instance: only admins of the organisation that owns the study (a share lets another
/// organisation read, never delete). 204 when done, 404 when the caller cannot see it, 403 when it may not delete it.
/// </summary>
internal static class DeleteEndpoints
{
    public static async Task<IResult> DeleteAsync(HttpContext http, WadoContext wado, string study, string? series, string? instance)
    {
        var caller = WadoContext.Caller(http);
        var result = await wado.Deletion.DeleteAsync(caller, study, series, instance, http.RequestAborted).ConfigureAwait(false);
        var success = result.Outcome == DeletionOutcome.Deleted;
        var detail = result.Outcome switch
        {
            DeletionOutcome.Deleted => $"deleted {result.InstancesDeleted} instance(s){(result.FilesMissing > 0 ? $", {result.FilesMissing} file(s) were already missing" : "")}",
            DeletionOutcome.NotFound => "not found",
            _ => $"forbidden: role {caller.Role} of organisation {caller.OrganizationId} may not delete it",
        };
        await wado.AuditAsync(caller, AuditActions.Delete, study, series, instance, success, "DICOMweb DELETE: " + detail).ConfigureAwait(false);
        return result.Outcome switch
        {
            DeletionOutcome.Deleted => Results.NoContent(),
            DeletionOutcome.NotFound => throw new DicomWebException(404, WadoLookup.NotFoundMessage(study, series, instance)),
            _ => throw new DicomWebException(403, "only an admin of the organisation that owns the study may delete it"),
        };
    }
}
