using System.Data.Common;
using Microsoft.Extensions.Logging;
using RadBridge.Archive.Ingest;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Services;
using RadBridge.Server.Hosting;

namespace RadBridge.Server.Dimse;

/// <summary>
/// The archive's C-STORE: the Storage SCP has streamed the instance into a flushed file in the archive's temp directory;
/// <see cref="ArchiveIngest"/> renames it into the store and commits its index row for the association's organisation,
/// and only then is success answered. Compressed transfer syntaxes are kept as received.
/// </summary>
/// <remarks>
/// Ingest outcomes map to C-STORE statuses here, in one place (docs/CONFORMANCE.md lists them):
/// <list type="bullet">
/// <item>Stored, AlreadyStored (identical re-send), Replaced → 0000 Success.</item>
/// <item>Conflict (same SOP Instance UID, different data set, duplicate policy Reject) → A900, the PS3.4 B.2.3 "Error:
/// data set does not match" class: the data set cannot be accepted as that instance; the stored one stays.</item>
/// <item>Forbidden (the study belongs to another organisation) → 0124 "Refused: not authorized" (PS3.7 C.5): the
/// exact meaning, and unlike A7xx "out of resources" it does not invite a retry.</item>
/// <item>Invalid: unreadable, or identifying UIDs missing or malformed → C000 "Cannot understand" with the problem;
/// the index refused the row → 0110 "Processing failure".</item>
/// <item>Disk or database failure while archiving → A700 "Refused: out of resources" (worth retrying later).</item>
/// </list>
/// Every failure carries an Error Comment (0000,0902) saying what was wrong.
/// </remarks>
public sealed partial class ArchiveStoreHandler(ArchiveIngest ingest, ArchiveMetrics metrics, ILogger<ArchiveStoreHandler> logger) : IStoreHandler
{
    public static readonly DimseStatus Conflict = new(0xA900);
    public static readonly DimseStatus NotAuthorized = DimseStatus.NotAuthorized;

    public async ValueTask<DimseStatus> StoreAsync(ReceivedInstance instance, CancellationToken ct) =>
        (await StoreWithCommentAsync(instance, ct).ConfigureAwait(false)).Status;

    public async ValueTask<StoreResponse> StoreWithCommentAsync(ReceivedInstance instance, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Principal is not ArchiveAssociation association)
        {
            // The authoriser attaches one to every association it accepts; without it there is no organisation to store into.
            return new StoreResponse(NotAuthorized, "association not authorised for storage");
        }
        IngestResult result;
        try
        {
            result = await ingest.IngestAsync(instance.FilePath, association.IngestSource, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbException or InvalidOperationException)
        {
            StoreFailed(logger, instance.AssociationId, instance.SopInstanceUid, ex.Message);
            association.CountStore(false, 0);
            metrics.InstancesStored.Add(1, Channel, new KeyValuePair<string, object?>("outcome", "error"));
            return new StoreResponse(DimseStatus.OutOfResources, $"cannot archive now: {ex.Message}");
        }
        association.CountStore(result.Succeeded, instance.DataSetLength);
        metrics.InstancesStored.Add(1, Channel, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        if (result.Succeeded) metrics.BytesStored.Add(instance.DataSetLength, Channel);
        else StoreRefused(logger, instance.AssociationId, instance.SopInstanceUid, result.Outcome.ToString(), result.Problem ?? "");
        return ToResponse(result);
    }

    /// <summary>The C-STORE status of an ingest outcome (see the remarks of the class).</summary>
    public static StoreResponse ToResponse(IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            IngestOutcome.Stored or IngestOutcome.AlreadyStored or IngestOutcome.Replaced => new StoreResponse(DimseStatus.Success),
            IngestOutcome.Conflict => new StoreResponse(Conflict, result.Problem ?? "already stored with different content"),
            IngestOutcome.Forbidden => new StoreResponse(NotAuthorized, result.Problem ?? "the study belongs to another organisation"),
            // Attributes are known only once the file was read: an Invalid result with them is the index refusing the row.
            IngestOutcome.Invalid when result.Attributes is not null => new StoreResponse(DimseStatus.ProcessingFailure, result.Problem),
            _ => new StoreResponse(DimseStatus.CannotUnderstand, result.Problem ?? "not a storable instance"),
        };
    }

    private static readonly KeyValuePair<string, object?> Channel = new("channel", "DIMSE");

    [LoggerMessage(LogLevel.Warning, "{Association}: C-STORE of {Sop} not archived ({Outcome}): {Problem}")]
    private static partial void StoreRefused(ILogger logger, string association, string sop, string outcome, string problem);

    [LoggerMessage(LogLevel.Error, "{Association}: C-STORE of {Sop} failed: {Problem}")]
    private static partial void StoreFailed(ILogger logger, string association, string sop, string problem);
}
