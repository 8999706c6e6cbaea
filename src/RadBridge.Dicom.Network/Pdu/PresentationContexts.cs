namespace RadBridge.Dicom.Network.Pdu;

/// <summary>A Presentation Context item of an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2): one abstract syntax, the transfer syntaxes proposed for it.</summary>
public sealed record PresentationContextRequest(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>The Result/Reason of a Presentation Context item of an A-ASSOCIATE-AC (PS3.8 Table 9-18).</summary>
public enum PresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

/// <summary>A Presentation Context item of an A-ASSOCIATE-AC (PS3.8 §9.3.3.2): the answer to one proposed context.</summary>
public sealed record PresentationContextAccept(byte Id, PresentationContextResult Result, string TransferSyntax);
