using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>Who a DIMSE association acts as (its calling AE's organisation), or null when it may see nothing.</summary>
public delegate ValueTask<ArchiveCaller?> DimseCallerResolver(DicomAssociation association, CancellationToken ct);

/// <summary>
/// What the archive's C-FIND, C-MOVE and C-GET SCPs search: the index, through <see cref="ArchiveQueryService"/>, as the
/// caller sees it. Either bound to one caller (one source per association), or — for the one service registry a server
/// shares across associations — given a <see cref="DimseCallerResolver"/> that the SCPs' association-aware calls use.
/// </summary>
public sealed class ArchiveQueryRetrieveSource : IQueryRetrieveSource
{
    // C-FIND answers stream page by page so a universal query over a large archive never holds every result at once.
    private const int PageSize = 500;

    private readonly IDbContextFactory<ArchiveDbContext> _contexts;
    private readonly ArchiveQueryService _service;
    private readonly ArchiveCaller? _caller;
    private readonly DimseCallerResolver? _resolveCaller;

    /// <summary>A source that answers as <paramref name="caller"/> whichever association asks.</summary>
    public ArchiveQueryRetrieveSource(IDbContextFactory<ArchiveDbContext> contexts, ArchiveQueryService service, ArchiveCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        (_contexts, _service, _caller) = (contexts ?? throw new ArgumentNullException(nameof(contexts)), service ?? throw new ArgumentNullException(nameof(service)), caller);
    }

    /// <summary>A source that answers each association as the caller <paramref name="resolveCaller"/> names for it.</summary>
    public ArchiveQueryRetrieveSource(IDbContextFactory<ArchiveDbContext> contexts, ArchiveQueryService service, DimseCallerResolver resolveCaller)
    {
        ArgumentNullException.ThrowIfNull(resolveCaller);
        (_contexts, _service, _resolveCaller) = (contexts ?? throw new ArgumentNullException(nameof(contexts)), service ?? throw new ArgumentNullException(nameof(service)), resolveCaller);
    }

    public IAsyncEnumerable<DicomDataset> FindAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
        FindAs(FixedCaller(), level, identifier, options, ct);

    public IAsyncEnumerable<StoredInstance> ResolveAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
        ResolveAs(FixedCaller(), level, identifier, options, ct);

    public async IAsyncEnumerable<DicomDataset> FindAsync(DicomAssociation association, QueryLevel level, DicomDataset identifier, MatchingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var caller = await CallerOfAsync(association, ct).ConfigureAwait(false);
        await foreach (var match in FindAs(caller, level, identifier, options, ct).ConfigureAwait(false)) yield return match;
    }

    public async IAsyncEnumerable<StoredInstance> ResolveAsync(DicomAssociation association, QueryLevel level, DicomDataset identifier, MatchingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var caller = await CallerOfAsync(association, ct).ConfigureAwait(false);
        await foreach (var instance in ResolveAs(caller, level, identifier, options, ct).ConfigureAwait(false)) yield return instance;
    }

    private async IAsyncEnumerable<DicomDataset> FindAs(ArchiveCaller caller, QueryLevel level, DicomDataset identifier, MatchingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = DimseQueryParser.Parse(level, identifier, options) with { Limit = PageSize };
        for (var offset = 0; ; offset += PageSize)
        {
            QueryResult page;
            var db = await _contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                page = await _service.FindAsync(db, caller, query with { Offset = offset }, ct).ConfigureAwait(false);
            }
            foreach (var match in page.Matches) yield return match;
            if (!page.HasMore) yield break;
        }
    }

    private async IAsyncEnumerable<StoredInstance> ResolveAs(ArchiveCaller caller, QueryLevel level, DicomDataset identifier, MatchingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = DimseQueryParser.Parse(level, identifier, options);
        var db = await _contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await foreach (var i in _service.ResolveAsync(db, caller, query, ct).ConfigureAwait(false))
            {
                yield return new StoredInstance(i.Path, i.SopClassUid, i.SopInstanceUid, i.StudyInstanceUid, i.SeriesInstanceUid);
            }
        }
    }

    private ArchiveCaller FixedCaller() =>
        _caller ?? throw new InvalidOperationException("this source answers per association: call the overloads that take the association");

    private async ValueTask<ArchiveCaller> CallerOfAsync(DicomAssociation association, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(association);
        if (_caller is not null) return _caller;
        return await _resolveCaller!(association, ct).ConfigureAwait(false)
            ?? throw new IndexQueryException($"calling AE '{association.CallingAeTitle}' is not registered with an organisation");
    }
}
