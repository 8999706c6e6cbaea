namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// Reading the next message while an operation is still answering (PS3.7 §9.3.2.3: a C-CANCEL-RQ may arrive between
/// the pending responses of C-FIND, C-MOVE and C-GET). The read runs in the background; the operation peeks at it,
/// takes a cancel addressed to it, and leaves anything else for <see cref="ReadMessageAsync"/>, which hands it over.
/// </summary>
public sealed partial class DicomAssociation
{
    private Task<DimseMessage?>? _readAhead;

    /// <summary>How long the peer may stay silent between messages (the network timeout).</summary>
    internal TimeSpan IdleTimeout => _options.NetworkTimeout;

    /// <summary>How long a requestor waits for each response (the DIMSE timeout).</summary>
    internal TimeSpan ResponseTimeout => _options.DimseTimeout;

    /// <summary>The read of the next message, started now if none is running. It completes when a message (or release, or failure) arrives.</summary>
    internal Task<DimseMessage?> PeekNextMessage(TimeSpan timeout, CancellationToken ct) =>
        _readAhead ??= ReadMessageDirectAsync(timeout, ct).AsTask();

    /// <summary>Takes the peeked message: the next <see cref="ReadMessageAsync"/> reads a new one.</summary>
    internal void ConsumePeekedMessage() => _readAhead = null;

    /// <summary>The message a read-ahead already holds or is waiting for, if any (handed over once).</summary>
    private Task<DimseMessage?>? TakeReadAhead()
    {
        var ahead = _readAhead;
        _readAhead = null;
        return ahead;
    }
}
