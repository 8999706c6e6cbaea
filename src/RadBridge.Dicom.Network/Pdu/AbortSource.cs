namespace RadBridge.Dicom.Network.Pdu;

/// <summary>The Source field of an A-ABORT PDU (PS3.8 Table 9-26).</summary>
public enum AbortSource : byte
{
    /// <summary>DICOM UL service-user (initiated abort).</summary>
    ServiceUser = 0,
    /// <summary>Reserved.</summary>
    Reserved = 1,
    /// <summary>DICOM UL service-provider (initiated abort).</summary>
    ServiceProvider = 2,
}

/// <summary>The Reason/Diag. field of an A-ABORT PDU when the source is the service-provider (PS3.8 Table 9-26).</summary>
public enum AbortReason : byte
{
    ReasonNotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    Reserved = 3,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>The Result field of an A-ASSOCIATE-RJ PDU (PS3.8 Table 9-21).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>The Source field of an A-ASSOCIATE-RJ PDU (PS3.8 Table 9-21).</summary>
public enum RejectSource : byte
{
    /// <summary>DICOM UL service-user.</summary>
    ServiceUser = 1,
    /// <summary>DICOM UL service-provider (ACSE related function).</summary>
    ServiceProviderAcse = 2,
    /// <summary>DICOM UL service-provider (Presentation related function).</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>
/// The Reason/Diag. field of an A-ASSOCIATE-RJ PDU (PS3.8 Table 9-21). Its meaning depends on the source, so it is
/// kept as the byte and named by <see cref="RejectReasons.Describe"/>.
/// </summary>
public static class RejectReasons
{
    /// <summary>Service-user: no reason given.</summary>
    public const byte UserNoReasonGiven = 1;
    /// <summary>Service-user: application context name not supported.</summary>
    public const byte ApplicationContextNameNotSupported = 2;
    /// <summary>Service-user: calling AE title not recognized.</summary>
    public const byte CallingAeTitleNotRecognized = 3;
    /// <summary>Service-user: called AE title not recognized.</summary>
    public const byte CalledAeTitleNotRecognized = 7;
    /// <summary>Service-provider (ACSE): no reason given.</summary>
    public const byte AcseNoReasonGiven = 1;
    /// <summary>Service-provider (ACSE): protocol version not supported.</summary>
    public const byte ProtocolVersionNotSupported = 2;
    /// <summary>Service-provider (Presentation): temporary congestion.</summary>
    public const byte TemporaryCongestion = 1;
    /// <summary>Service-provider (Presentation): local limit exceeded.</summary>
    public const byte LocalLimitExceeded = 2;

    /// <summary>The standard's words for a reason under its source.</summary>
    public static string Describe(RejectSource source, byte reason) => (source, reason) switch
    {
        (RejectSource.ServiceUser, UserNoReasonGiven) => "no reason given",
        (RejectSource.ServiceUser, ApplicationContextNameNotSupported) => "application context name not supported",
        (RejectSource.ServiceUser, CallingAeTitleNotRecognized) => "calling AE title not recognized",
        (RejectSource.ServiceUser, CalledAeTitleNotRecognized) => "called AE title not recognized",
        (RejectSource.ServiceProviderAcse, AcseNoReasonGiven) => "no reason given (ACSE)",
        (RejectSource.ServiceProviderAcse, ProtocolVersionNotSupported) => "protocol version not supported",
        (RejectSource.ServiceProviderPresentation, TemporaryCongestion) => "temporary congestion",
        (RejectSource.ServiceProviderPresentation, LocalLimitExceeded) => "local limit exceeded",
        _ => $"reason {reason}",
    };
}
