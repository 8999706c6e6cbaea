using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>
/// The C-FIND SCP of the Patient Root and Study Root Query/Retrieve Information Models (PS3.4 C.4.1): one pending
/// response (FF00) per match carrying its identifier, then Success — or Cancel (FE00) when the peer sends C-CANCEL-RQ,
/// or a failure (A900 identifier does not match SOP class, C000 cannot understand) naming the problem.
/// </summary>
public sealed class FindScp(IQueryRetrieveSource source, MatchingOptions? options = null) : IDimseService
{
    private readonly MatchingOptions _options = options ?? new MatchingOptions();

    // PS3.4 C.4.1.1.4: Failed, Unable to process (Cxxx).
    internal static readonly DimseStatus UnableToProcess = new(0xC000);

    public async ValueTask HandleAsync(DimseRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ts = request.PresentationContext.TransferSyntax!;
        var model = QueryRetrieveSopClasses.ModelOf(request.PresentationContext.AbstractSyntax) ?? QueryModel.StudyRoot;
        if (request.DataSet is not { } data)
        {
            await request.RespondAsync(DimseStatus.CannotUnderstand, r => r.ErrorComment = "C-FIND-RQ without an identifier", ct: ct).ConfigureAwait(false);
            return;
        }
        DicomDataset identifier;
        try
        {
            identifier = await DimseIdentifier.ReadAsync(data, ts, ct).ConfigureAwait(false);
        }
        catch (DicomReadException ex)
        {
            await request.RespondAsync(DimseStatus.CannotUnderstand, r => r.ErrorComment = Short($"identifier: {ex.Message}"), ct: ct).ConfigureAwait(false);
            return;
        }
        var (level, failure, problem) = QueryLevels.Validate(model, identifier);
        if (level is not { } queryLevel)
        {
            await request.RespondAsync(failure, r => r.ErrorComment = Short(problem!), ct: ct).ConfigureAwait(false);
            return;
        }
        var matches = 0;
        try
        {
            await foreach (var match in source.FindAsync(request.Association, queryLevel, identifier, _options, ct).ConfigureAwait(false))
            {
                if (CancelWatch.IsCancelRequested(request, ct))
                {
                    NetworkLog.RequestFailed(request.Association.Logger, request.Association.Id, "C-FIND", DimseStatus.Cancel.Code, $"cancelled by the peer after {matches} matches");
                    await request.RespondAsync(DimseStatus.Cancel, ct: ct).ConfigureAwait(false);
                    return;
                }
                var bytes = DimseIdentifier.Encode(match, ts);
                await request.RespondAsync(DimseStatus.Pending, null, (s, c) => s.WriteAsync(bytes, c), ct).ConfigureAwait(false);
                matches++;
            }
        }
        catch (DicomException ex) when (ex is not DicomNetworkException)
        {
            // The source could not answer this query (e.g. a malformed matching value): a failure naming it, not an abort.
            NetworkLog.RequestFailed(request.Association.Logger, request.Association.Id, "C-FIND", UnableToProcess.Code, ex.Message);
            await request.RespondAsync(UnableToProcess, r => r.ErrorComment = Short(ex.Message), ct: ct).ConfigureAwait(false);
            return;
        }
        await request.RespondAsync(DimseStatus.Success, ct: ct).ConfigureAwait(false);
    }

    // Error Comment is LO: at most 64 characters.
    internal static string Short(string text) => text.Length <= 64 ? text : text[..61] + "...";
}

/// <summary>The C-FIND SCU and the registration of the Query/Retrieve SCPs.</summary>
public static class QueryRetrieve
{
    /// <summary>Registers the C-FIND SCP for Patient Root and Study Root.</summary>
    public static DimseServiceRegistry AddFind(this DimseServiceRegistry registry, IQueryRetrieveSource source, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(DimseCommandField.CFindRequest, [QueryRetrieveSopClasses.PatientRootFind, QueryRetrieveSopClasses.StudyRootFind], new FindScp(source, options));
    }

    /// <summary>Registers the C-MOVE SCP for Patient Root and Study Root, moving to the AE titles of <paramref name="destinations"/>.</summary>
    public static DimseServiceRegistry AddMove(this DimseServiceRegistry registry, IQueryRetrieveSource source, IEnumerable<DicomPeer> destinations, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(destinations);
        var peers = destinations.ToDictionary(p => p.AeTitle, StringComparer.Ordinal);
        return registry.Add(DimseCommandField.CMoveRequest, [QueryRetrieveSopClasses.PatientRootMove, QueryRetrieveSopClasses.StudyRootMove], new MoveScp(source, peers, options));
    }

    /// <summary>
    /// Registers the C-MOVE SCP for Patient Root and Study Root, moving to the destination <paramref name="findDestination"/>
    /// resolves per request (null: A801 move destination unknown).
    /// </summary>
    public static DimseServiceRegistry AddMove(this DimseServiceRegistry registry, IQueryRetrieveSource source,
        Func<DicomAssociation, string, CancellationToken, ValueTask<DicomPeer?>> findDestination, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(DimseCommandField.CMoveRequest, [QueryRetrieveSopClasses.PatientRootMove, QueryRetrieveSopClasses.StudyRootMove], new MoveScp(source, findDestination, options));
    }

    /// <summary>Registers the C-GET SCP for Patient Root and Study Root (storage contexts must be accepted too: register storage).</summary>
    public static DimseServiceRegistry AddGet(this DimseServiceRegistry registry, IQueryRetrieveSource source, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(DimseCommandField.CGetRequest, [QueryRetrieveSopClasses.PatientRootGet, QueryRetrieveSopClasses.StudyRootGet], new GetScp(source, options));
    }

    /// <summary>
    /// Sends C-MOVE-RQ asking the peer to send the matching instances to <paramref name="destinationAe"/>; reports each
    /// pending response's counts to <paramref name="onPending"/> and returns the final response.
    /// </summary>
    /// <exception cref="DicomNetworkException">No accepted context for the model's MOVE SOP class, or the association failed.</exception>
    public static async Task<RetrieveResult> MoveAsync(this DicomAssociation association, QueryModel model, string destinationAe, DicomDataset identifier,
        Action<RetrieveResult>? onPending = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        var sopClass = QueryRetrieveSopClasses.For(model, DimseCommandField.CMoveRequest);
        var context = association.FindContext(sopClass) ?? throw new DicomNetworkException($"the peer did not accept {model} C-MOVE ({sopClass})");
        var request = DimseCommand.Request(DimseCommandField.CMoveRequest, association.NextMessageId(), sopClass, hasDataSet: true);
        request.Priority = DimsePriority.Medium;
        request.MoveDestination = destinationAe;
        var bytes = DimseIdentifier.Encode(identifier, context.TransferSyntax!);
        RetrieveResult? last = null;
        await foreach (var response in association.SendRequestAsync(context.Id, request, (s, c) => s.WriteAsync(bytes, c), ct).ConfigureAwait(false))
        {
            last = RetrieveResult.From(response, context.TransferSyntax!);
            if (response.Status.IsPending) onPending?.Invoke(last);
        }
        return last!;
    }

    /// <summary>
    /// Sends C-FIND-RQ and yields each match's identifier as the pending responses arrive.
    /// </summary>
    /// <exception cref="DicomNetworkException">No accepted context for the model's FIND SOP class, or the SCP answered a failure.</exception>
    public static async IAsyncEnumerable<DicomDataset> FindAsync(this DicomAssociation association, QueryModel model, DicomDataset identifier,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        var sopClass = QueryRetrieveSopClasses.For(model, DimseCommandField.CFindRequest);
        var context = association.FindContext(sopClass) ?? throw new DicomNetworkException($"the peer did not accept {model} C-FIND ({sopClass})");
        var ts = context.TransferSyntax!;
        var request = DimseCommand.Request(DimseCommandField.CFindRequest, association.NextMessageId(), sopClass, hasDataSet: true);
        request.Priority = DimsePriority.Medium;
        var bytes = DimseIdentifier.Encode(identifier, ts);
        await foreach (var response in association.SendRequestAsync(context.Id, request, (s, c) => s.WriteAsync(bytes, c), ct).ConfigureAwait(false))
        {
            if (response.Status.IsPending)
            {
                if (response.DataSet is { } data) yield return DimseIdentifier.Decode(data, ts);
            }
            else if (!response.Status.IsSuccess && response.Status.Category != DimseStatusCategory.Cancel)
            {
                throw new DicomNetworkException($"C-FIND answered {response.Status}{(response.Command.ErrorComment is { Length: > 0 } c ? ": " + c : "")}");
            }
        }
    }
}
