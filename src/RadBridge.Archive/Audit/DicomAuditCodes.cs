namespace RadBridge.Archive.Audit;

/// <summary>A coded value of the DICOM audit message schema: csd-code, codeSystemName, originalText (PS3.15 A.5.1).</summary>
public sealed record AuditCode(string Code, string System, string Meaning)
{
    public static AuditCode Dcm(string code, string meaning) => new(code, "DCM", meaning);
}

/// <summary>How one of our <see cref="AuditActions"/> is told in a DICOM audit message.</summary>
/// <param name="EventId">EventID, from DCM (PS3.16 CID 400 "Audit Event ID").</param>
/// <param name="ActionCode">EventActionCode: C create, R read, U update, D delete, E execute.</param>
/// <param name="EventType">EventTypeCode where the message type requires one (CID 401).</param>
/// <param name="RequestorRole">RoleIDCode of the user or AE asking (CID 402), where the message type defines one.</param>
/// <param name="ArchiveRole">RoleIDCode of the archive itself.</param>
public sealed record DicomAuditEventKind(AuditCode EventId, string ActionCode, AuditCode? EventType, AuditCode? RequestorRole, AuditCode? ArchiveRole);

/// <summary>
/// The mapping from our actions to PS3.15 A.5.3 audit messages, in one table. Codes are DCM (PS3.16 Annex D).
/// </summary>
public static class DicomAuditCodes
{
    public static readonly AuditCode StudyInstanceUid = AuditCode.Dcm("110180", "Study Instance UID");
    public static readonly AuditCode SopClassUid = AuditCode.Dcm("110181", "SOP Class UID");
    public static readonly AuditCode SourceRole = AuditCode.Dcm("110153", "Source Role ID");
    public static readonly AuditCode DestinationRole = AuditCode.Dcm("110152", "Destination Role ID");

    /// <summary>Organisations (tenants) have no DICOM code; a private coding scheme ("99" prefix, PS3.16 §8.2).</summary>
    public static readonly AuditCode OrganizationId = new("organization", "99RADBRIDGE", "RadBridge Organization ID");

    /// <summary>AuditSourceTypeCode 4 "Application Server" (the archive is a server process).</summary>
    public static readonly AuditCode ApplicationServer = AuditCode.Dcm("4", "Application Server");

    /// <summary>Study Root Query/Retrieve Information Model – FIND: the model QIDO-RS and C-FIND queries are made in.</summary>
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";

    private static readonly AuditCode InstancesTransferred = AuditCode.Dcm("110104", "DICOM Instances Transferred");

    // PS3.15 A.5.3: store/retrieve are "DICOM Instances Transferred" (A.5.3.7; C for the receiver's copy, R for a read),
    // where the requestor is the source of a store and the destination of a retrieve; a query is "Query" (A.5.3.12); a
    // deletion "DICOM Study Deleted" (A.5.3.8); a share changes who may access the study, "DICOM Instances Accessed"
    // with U (A.5.3.6); a login "User Authentication" (A.5.3.14) with the Login type; account, organisation and AE
    // administration a "Security Alert" (A.5.3.11) of type Security Configuration. Export/Import (A.5.3.4/A.5.3.5) are
    // here for the actions that move studies out of or into the archive by media or file.
    private static readonly Dictionary<string, DicomAuditEventKind> Kinds = new(StringComparer.Ordinal)
    {
        [AuditActions.Store] = new(InstancesTransferred, "C", null, SourceRole, DestinationRole),
        [AuditActions.Retrieve] = new(InstancesTransferred, "R", null, DestinationRole, SourceRole),
        [AuditActions.Query] = new(AuditCode.Dcm("110112", "Query"), "E", null, SourceRole, DestinationRole),
        [AuditActions.Delete] = new(AuditCode.Dcm("110105", "DICOM Study Deleted"), "D", null, null, null),
        [AuditActions.Share] = new(AuditCode.Dcm("110103", "DICOM Instances Accessed"), "U", null, null, null),
        [AuditActions.Login] = new(AuditCode.Dcm("110114", "User Authentication"), "E", AuditCode.Dcm("110122", "Login"), null, null),
        [AuditActions.Administer] = new(AuditCode.Dcm("110113", "Security Alert"), "E", AuditCode.Dcm("110129", "Security Configuration"), null, null),
        // A read request's actions change how the study is worked on (reading, report): an access with U, update.
        [AuditActions.ReadRequest] = new(AuditCode.Dcm("110103", "DICOM Instances Accessed"), "U", null, null, null),
        ["export"] = new(AuditCode.Dcm("110106", "Export"), "R", null, SourceRole, DestinationRole),
        ["import"] = new(AuditCode.Dcm("110107", "Import"), "C", null, SourceRole, DestinationRole),
    };

    /// <summary>An action not in the table still yields a valid message: an access to DICOM instances, "execute".</summary>
    private static readonly DicomAuditEventKind Other = new(AuditCode.Dcm("110103", "DICOM Instances Accessed"), "E", null, null, null);

    public static DicomAuditEventKind For(string action) => Kinds.GetValueOrDefault(action ?? "", Other);

    /// <summary>EventOutcomeIndicator: 0 success, 4 minor failure (the request was refused or failed), 8 serious failure.</summary>
    public static string OutcomeIndicator(string outcome) => outcome switch
    {
        "success" => "0",
        "failure" => "4",
        _ => "8",
    };
}
