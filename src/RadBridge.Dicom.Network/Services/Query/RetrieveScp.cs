using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>A C-MOVE destination: where an AE title is reached.</summary>
public sealed record DicomPeer(string AeTitle, string Host, int Port);

/// <summary>Sub-operation counts of a retrieve (PS3.4 C.4.2.1.4 / C.4.3.1.4).</summary>
internal sealed class SubOperations(int total)
{
    public int Remaining { get; private set; } = total;
    public int Completed { get; private set; }
    public int Failed { get; private set; }
    public int Warning { get; private set; }
    public List<string> FailedUids { get; } = [];

    public void Record(DimseStatus status, string sopInstanceUid)
    {
        Remaining--;
        if (status.IsSuccess) Completed++;
        else if (status.Category == DimseStatusCategory.Warning) Warning++;
        else
        {
            Failed++;
            FailedUids.Add(sopInstanceUid);
        }
    }

    /// <summary>Fills the counts; the final response of a finished retrieve leaves Remaining out (PS3.7 C.3.2.1.4).</summary>
    public void Fill(DimseCommand response, bool withRemaining)
    {
        response.NumberOfRemainingSuboperations = withRemaining ? (ushort)Math.Min(Remaining, ushort.MaxValue) : null;
        response.NumberOfCompletedSuboperations = (ushort)Math.Min(Completed, ushort.MaxValue);
        response.NumberOfFailedSuboperations = (ushort)Math.Min(Failed, ushort.MaxValue);
        response.NumberOfWarningSuboperations = (ushort)Math.Min(Warning, ushort.MaxValue);
    }

    /// <summary>The final status: Success, B000 (complete with failures or warnings) or A702 (nothing could be sent).</summary>
    public DimseStatus Final => Failed == 0 && Warning == 0 ? DimseStatus.Success
        : Completed + Warning == 0 ? new DimseStatus(0xA702)
        : new DimseStatus(0xB000);

    /// <summary>The Failed SOP Instance UID List (0008,0058) identifier of a final response with failures.</summary>
    public Func<Stream, CancellationToken, ValueTask>? FailedList(DicomTransferSyntax ts)
    {
        if (FailedUids.Count == 0) return null;
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(new DicomTag(0x0008, 0x0058), DicomVR.UI, [.. FailedUids]);
        var bytes = DimseIdentifier.Encode(identifier, ts);
        return (s, c) => s.WriteAsync(bytes, c);
    }
}

/// <summary>What C-MOVE and C-GET SCPs share: reading and checking the identifier, then finding the instances.</summary>
internal static class RetrieveRequest
{
    /// <summary>The instances to send, or null after a failure response was sent.</summary>
    public static async ValueTask<List<StoredInstance>?> ResolveAsync(DimseRequest request, IQueryRetrieveSource source, MatchingOptions options, string operation, CancellationToken ct)
    {
        var ts = request.PresentationContext.TransferSyntax!;
        var model = QueryRetrieveSopClasses.ModelOf(request.PresentationContext.AbstractSyntax) ?? QueryModel.StudyRoot;
        if (request.DataSet is not { } data)
        {
            await request.RespondAsync(DimseStatus.CannotUnderstand, r => r.ErrorComment = $"{operation}-RQ without an identifier", ct: ct).ConfigureAwait(false);
            return null;
        }
        DicomDataset identifier;
        try
        {
            identifier = await DimseIdentifier.ReadAsync(data, ts, ct).ConfigureAwait(false);
        }
        catch (DicomReadException ex)
        {
            await request.RespondAsync(DimseStatus.CannotUnderstand, r => r.ErrorComment = FindScp.Short($"identifier: {ex.Message}"), ct: ct).ConfigureAwait(false);
            return null;
        }
        var (level, failure, problem) = QueryLevels.Validate(model, identifier);
        if (level is not { } retrieveLevel)
        {
            await request.RespondAsync(failure, r => r.ErrorComment = FindScp.Short(problem!), ct: ct).ConfigureAwait(false);
            return null;
        }
        var instances = new List<StoredInstance>();
        try
        {
            await foreach (var instance in source.ResolveAsync(request.Association, retrieveLevel, identifier, options, ct).ConfigureAwait(false)) instances.Add(instance);
        }
        catch (DicomException ex) when (ex is not DicomNetworkException)
        {
            await request.RespondAsync(FindScp.UnableToProcess, r => r.ErrorComment = FindScp.Short(ex.Message), ct: ct).ConfigureAwait(false);
            return null;
        }
        return instances;
    }
}
