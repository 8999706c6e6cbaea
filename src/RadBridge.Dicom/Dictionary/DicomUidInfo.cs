namespace RadBridge.Dicom;

/// <summary>A UID registered in PS3.6 Annex A.</summary>
/// <param name="Uid">The UID, e.g. 1.2.840.10008.5.1.4.1.1.2.</param>
/// <param name="Keyword">The keyword of PS3.6, e.g. CTImageStorage (LDAP OIDs keep their lower-case first letter).</param>
/// <param name="Name">The UID name of PS3.6, e.g. CT Image Storage.</param>
/// <param name="Type">The UID type.</param>
/// <param name="IsRetired">True for UIDs the standard has retired.</param>
public sealed record DicomUidInfo(string Uid, string Keyword, string Name, DicomUidType Type, bool IsRetired);
