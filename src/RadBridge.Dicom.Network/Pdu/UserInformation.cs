namespace RadBridge.Dicom.Network.Pdu;

/// <summary>SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4, item 54H).</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>Asynchronous Operations Window sub-item (PS3.7 D.3.3.3, item 53H); 0 means unlimited.</summary>
public sealed record AsynchronousOperationsWindow(ushort MaxOperationsInvoked, ushort MaxOperationsPerformed);

/// <summary>SOP Class Extended Negotiation sub-item (PS3.7 D.3.3.5, item 56H): service-class-specific bytes.</summary>
public sealed record SopClassExtendedNegotiation(string SopClassUid, ReadOnlyMemory<byte> ApplicationInformation);

/// <summary>SOP Class Common Extended Negotiation sub-item (PS3.7 D.3.3.6, item 57H).</summary>
public sealed record SopClassCommonExtendedNegotiation(string SopClassUid, string ServiceClassUid, IReadOnlyList<string> RelatedGeneralSopClassUids);

/// <summary>The User Identity Type of the User Identity Negotiation sub-item (PS3.7 Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    KerberosServiceTicket = 3,
    SamlAssertion = 4,
    JsonWebToken = 5,
}

/// <summary>User Identity Negotiation request sub-item (PS3.7 D.3.3.7.1, item 58H).</summary>
public sealed record UserIdentityRequest(UserIdentityType Type, bool PositiveResponseRequested, ReadOnlyMemory<byte> PrimaryField, ReadOnlyMemory<byte> SecondaryField);

/// <summary>
/// The User Information item (50H) of A-ASSOCIATE-RQ/AC: maximum length, implementation identification and the
/// optional negotiations of PS3.7 Annex D.3.3.
/// </summary>
public sealed record UserInformation
{
    /// <summary>Maximum length of a P-DATA-TF PDU's variable field the sender can receive; 0 = no limit (PS3.8 D.1).</summary>
    public uint MaximumLength { get; init; }

    public string ImplementationClassUid { get; init; } = "";

    public string? ImplementationVersionName { get; init; }

    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    public IReadOnlyList<SopClassExtendedNegotiation> ExtendedNegotiations { get; init; } = [];

    /// <summary>Only in A-ASSOCIATE-RQ.</summary>
    public IReadOnlyList<SopClassCommonExtendedNegotiation> CommonExtendedNegotiations { get; init; } = [];

    /// <summary>Only in A-ASSOCIATE-RQ.</summary>
    public UserIdentityRequest? UserIdentityRequest { get; init; }

    /// <summary>Only in A-ASSOCIATE-AC: the server response (item 59H), when the requestor asked for one.</summary>
    public ReadOnlyMemory<byte>? UserIdentityServerResponse { get; init; }
}
