using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Hosting;

namespace RadBridge.Server.Dimse;

/// <summary>
/// The archive's side of one accepted association: the registered AE it acts for (and so its organisation and the
/// tenant filter of every query it makes), and what it did. The DICOM server disposes it when the association ends,
/// which writes the per-association summary line and metrics.
/// </summary>
public sealed partial class ArchiveAssociation : IDisposable
{
    private readonly ILogger _logger;
    private readonly ArchiveMetrics _metrics;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _stored;
    private long _failed;
    private long _bytes;

    internal ArchiveAssociation(RegisteredAe ae, string? remoteAddress, ILogger logger, ArchiveMetrics metrics)
    {
        AeTitle = ae.AeTitle;
        OrganizationId = ae.OrganizationId;
        RemoteAddress = remoteAddress;
        // A registered AE acts as a technologist of its organisation: it stores and queries that organisation's studies.
        Caller = new ArchiveCaller("AE:" + ae.AeTitle, ae.OrganizationId, ArchiveRoles.Technologist, "DIMSE", remoteAddress);
        _logger = logger;
        _metrics = metrics;
    }

    public string AeTitle { get; }
    public int OrganizationId { get; }
    public string? RemoteAddress { get; }

    /// <summary>Who asks, for the tenant filter (<see cref="AccessScope"/>) and the audit log.</summary>
    public ArchiveCaller Caller { get; }

    /// <summary>Who stores, for <see cref="ArchiveIngest"/>.</summary>
    public IngestSource IngestSource => new(OrganizationId, Caller.Name, Caller.Channel, RemoteAddress);

    internal void CountStore(bool succeeded, long bytes)
    {
        if (succeeded)
        {
            Interlocked.Increment(ref _stored);
            Interlocked.Add(ref _bytes, bytes);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void Dispose()
    {
        var tags = new KeyValuePair<string, object?>("calling_ae", AeTitle);
        _metrics.DimseAssociations.Add(1, tags);
        Summary(_logger, AeTitle, OrganizationId, RemoteAddress ?? "?", _stored, _failed, _bytes, _elapsed.ElapsedMilliseconds);
    }

    [LoggerMessage(LogLevel.Information, "association from {CallingAe} (organisation {OrganizationId}, {Remote}) ended: {Stored} stored, {Failed} failed, {Bytes} bytes in {ElapsedMs} ms")]
    private static partial void Summary(ILogger logger, string callingAe, int organizationId, string remote, long stored, long failed, long bytes, long elapsedMs);
}
