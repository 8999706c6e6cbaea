using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>Notices a C-CANCEL-RQ for an operation in progress without blocking it (PS3.7 §9.3.2.3).</summary>
internal static class CancelWatch
{
    /// <summary>True (and the cancel is taken) when the peer has sent a C-CANCEL-RQ for <paramref name="request"/>.</summary>
    public static bool IsCancelRequested(DimseRequest request, CancellationToken ct)
    {
        var association = request.Association;
        var next = association.PeekNextMessage(association.IdleTimeout, ct);
        if (!next.IsCompletedSuccessfully || next.Result is not { } message) return false;
        if (message.Command.CommandField != DimseCommandField.CCancelRequest || message.Command.MessageIdBeingRespondedTo != request.Command.MessageId) return false;
        association.ConsumePeekedMessage();
        return true;
    }
}
