using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network;

/// <summary>A failure of DICOM networking (association, PDU, DIMSE).</summary>
public class DicomNetworkException : DicomException
{
    public DicomNetworkException() { }
    public DicomNetworkException(string message) : base(message) { }
    public DicomNetworkException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A PDU that breaks PS3.8: the decoder's verdict, carrying the A-ABORT reason the receiver sends back
/// (source is always the service-provider, PS3.8 Table 9-26).
/// </summary>
public sealed class DicomPduException : DicomNetworkException
{
    public DicomPduException() : this(AbortReason.ReasonNotSpecified, "malformed PDU") { }
    public DicomPduException(string message) : this(AbortReason.InvalidPduParameterValue, message) { }
    public DicomPduException(string message, Exception inner) : base(message, inner) => Reason = AbortReason.InvalidPduParameterValue;

    public DicomPduException(AbortReason reason, string message) : base(message) => Reason = reason;

    /// <summary>Always <see cref="AbortSource.ServiceProvider"/>: the upper layer, not the application, found the fault.</summary>
    public static AbortSource AbortSource => AbortSource.ServiceProvider;

    public AbortReason Reason { get; }

    /// <summary>The A-ABORT PDU the receiver answers this fault with.</summary>
    public AbortPdu ToAbort() => new(AbortSource.ServiceProvider, Reason);
}

/// <summary>The peer refused the association (A-ASSOCIATE-RJ).</summary>
public sealed class DicomAssociationRejectedException : DicomNetworkException
{
    public DicomAssociationRejectedException() : base("association rejected") => Reject = new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.UserNoReasonGiven);
    public DicomAssociationRejectedException(string message) : base(message) => Reject = new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.UserNoReasonGiven);
    public DicomAssociationRejectedException(string message, Exception inner) : base(message, inner) => Reject = new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.UserNoReasonGiven);

    public DicomAssociationRejectedException(AssociateRejectPdu reject)
        : base($"association {reject?.Describe()}") => Reject = reject!;

    public AssociateRejectPdu Reject { get; }
}

/// <summary>The association ended by A-ABORT (from the peer, or ours after a protocol fault) or a lost connection.</summary>
public sealed class DicomAssociationAbortedException : DicomNetworkException
{
    public DicomAssociationAbortedException() { }
    public DicomAssociationAbortedException(string message) : base(message) { }
    public DicomAssociationAbortedException(string message, Exception inner) : base(message, inner) { }

    public DicomAssociationAbortedException(AbortPdu abort) : base($"association {abort?.Describe()}") => Abort = abort;

    /// <summary>The A-ABORT received, when there was one.</summary>
    public AbortPdu? Abort { get; }
}
