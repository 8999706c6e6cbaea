namespace RadBridge.Dicom.Network.Pdu;

/// <summary>
/// A protocol data unit of the DICOM upper layer (PS3.8 §9.3). These are plain values; <see cref="PduEncoder"/> and
/// <see cref="PduDecoder"/> turn them into bytes and back.
/// </summary>
public abstract record DicomPdu
{
    public abstract PduType Type { get; }
}

/// <summary>The application context every DICOM association uses (PS3.7 Annex A.2.1).</summary>
public static class DicomApplicationContext
{
    public const string Name = "1.2.840.10008.3.1.1.1";
}

/// <summary>A-ASSOCIATE-RQ (PS3.8 §9.3.2).</summary>
public sealed record AssociateRequestPdu : DicomPdu
{
    public override PduType Type => PduType.AssociateRequest;
    public ushort ProtocolVersion { get; init; } = 1;
    public required string CalledAeTitle { get; init; }
    public required string CallingAeTitle { get; init; }
    public string ApplicationContextName { get; init; } = DicomApplicationContext.Name;
    public required IReadOnlyList<PresentationContextRequest> PresentationContexts { get; init; }
    public required UserInformation UserInformation { get; init; }
}

/// <summary>A-ASSOCIATE-AC (PS3.8 §9.3.3). The AE title fields echo the request's (PS3.8 Table 9-17).</summary>
public sealed record AssociateAcceptPdu : DicomPdu
{
    public override PduType Type => PduType.AssociateAccept;
    public ushort ProtocolVersion { get; init; } = 1;
    public required string CalledAeTitle { get; init; }
    public required string CallingAeTitle { get; init; }
    public string ApplicationContextName { get; init; } = DicomApplicationContext.Name;
    public required IReadOnlyList<PresentationContextAccept> PresentationContexts { get; init; }
    public required UserInformation UserInformation { get; init; }
}

/// <summary>A-ASSOCIATE-RJ (PS3.8 §9.3.4).</summary>
public sealed record AssociateRejectPdu(RejectResult Result, RejectSource Source, byte Reason) : DicomPdu
{
    public override PduType Type => PduType.AssociateReject;

    /// <summary>"rejected-permanent by service-user: called AE title not recognized".</summary>
    public string Describe() =>
        $"rejected-{(Result == RejectResult.Permanent ? "permanent" : "transient")} by {SourceName(Source)}: {RejectReasons.Describe(Source, Reason)}";

    private static string SourceName(RejectSource source) => source switch
    {
        RejectSource.ServiceUser => "service-user",
        RejectSource.ServiceProviderAcse => "service-provider (ACSE)",
        RejectSource.ServiceProviderPresentation => "service-provider (presentation)",
        _ => $"source {(byte)source}",
    };
}

/// <summary>
/// One Presentation Data Value (PS3.8 §9.3.5.1, Annex E.2): a fragment of a command or data set on one presentation
/// context. <see cref="Data"/> may point into the reader's buffer: it is valid until the next PDU is read.
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data);

/// <summary>P-DATA-TF (PS3.8 §9.3.5).</summary>
public sealed record DataTransferPdu(IReadOnlyList<PresentationDataValue> Values) : DicomPdu
{
    public override PduType Type => PduType.DataTransfer;
}

/// <summary>A-RELEASE-RQ (PS3.8 §9.3.6).</summary>
public sealed record ReleaseRequestPdu : DicomPdu
{
    public override PduType Type => PduType.ReleaseRequest;
}

/// <summary>A-RELEASE-RP (PS3.8 §9.3.7).</summary>
public sealed record ReleaseResponsePdu : DicomPdu
{
    public override PduType Type => PduType.ReleaseResponse;
}

/// <summary>A-ABORT (PS3.8 §9.3.8). The reason is meaningful only when the source is the service-provider.</summary>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason) : DicomPdu
{
    public override PduType Type => PduType.Abort;

    public string Describe() => Source == AbortSource.ServiceProvider
        ? $"aborted by the service-provider: {AbortReasons.Describe(Reason)}"
        : "aborted by the service-user";
}

/// <summary>The standard's words for <see cref="AbortReason"/> values.</summary>
public static class AbortReasons
{
    public static string Describe(AbortReason reason) => reason switch
    {
        AbortReason.ReasonNotSpecified => "reason not specified",
        AbortReason.UnrecognizedPdu => "unrecognized PDU",
        AbortReason.UnexpectedPdu => "unexpected PDU",
        AbortReason.UnrecognizedPduParameter => "unrecognized PDU parameter",
        AbortReason.UnexpectedPduParameter => "unexpected PDU parameter",
        AbortReason.InvalidPduParameterValue => "invalid PDU parameter value",
        _ => $"reason {(byte)reason}",
    };
}
