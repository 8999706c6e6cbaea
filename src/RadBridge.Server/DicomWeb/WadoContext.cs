using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RadBridge.Archive;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Deletion;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// What the WADO endpoints share, built once when they are mapped: the index, the file store, the audit sink, the
/// cache of opened instances for frames and rendering, and the series metadata cache.
/// </summary>
internal sealed class WadoContext
{
    public WadoContext(IServiceProvider services)
    {
        Contexts = services.GetRequiredService<IDbContextFactory<ArchiveDbContext>>();
        Audit = services.GetRequiredService<IAuditSink>();
        Store = new InstanceFileStore(services.GetRequiredService<ArchiveLocation>());
        Instances = new OpenInstanceCache(capacity: 256);
        Metadata = new SeriesMetadataStore(Contexts, Store);
        Deletion = new ArchiveDeletion(Contexts, Store);
    }

    public IDbContextFactory<ArchiveDbContext> Contexts { get; }
    public IAuditSink Audit { get; }
    public InstanceFileStore Store { get; }
    public OpenInstanceCache Instances { get; }
    public SeriesMetadataStore Metadata { get; }
    public ArchiveDeletion Deletion { get; }

    /// <summary>The authenticated caller; 401 when the principal carries no RadBridge claims.</summary>
    public static ArchiveCaller Caller(HttpContext http) =>
        http.GetArchiveCaller() ?? throw new DicomWebException(StatusCodes.Status401Unauthorized, "authentication with a RadBridge account is required");

    /// <summary>Resolves a resource to the caller's visible instances (404 when none).</summary>
    public async Task<IReadOnlyList<InstanceLocation>> RequireAsync(ArchiveCaller caller, string study, string? series, string? instance, CancellationToken ct)
    {
        var db = await Contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await WadoLookup.RequireAsync(db, caller, study, series, instance, ct).ConfigureAwait(false);
        }
    }

    public string FullPath(InstanceLocation instance) => Store.FullPath(instance.StoragePath);

    /// <summary>Appends an audit record of a DICOMweb access.</summary>
    public ValueTask AuditAsync(ArchiveCaller caller, string action, string? study, string? series, string? instance, bool success, string detail) =>
        Audit.RecordAsync(new AuditEvent
        {
            Actor = caller.Name,
            OrganizationId = caller.OrganizationId,
            Action = action,
            Channel = caller.Channel,
            RemoteAddress = caller.RemoteAddress,
            StudyInstanceUid = study,
            SeriesInstanceUid = series,
            SopInstanceUid = instance,
            Outcome = success ? "success" : "failure",
            Detail = detail,
        }, CancellationToken.None);
}
