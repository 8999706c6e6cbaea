namespace RadBridge.Dicom;

/// <summary>The "UID Type" column of PS3.6 Annex A (Tables ).</summary>
public enum DicomUidType
{
    /// <summary>A transfer syntax (PS3.5 §10).</summary>
    TransferSyntax = 1,
    /// <summary>A SOP Class (PS3.4).</summary>
    SopClass,
    /// <summary>A Meta SOP Class grouping several SOP Classes (e.g. the print management meta classes).</summary>
    MetaSopClass,
    /// <summary>A Service Class (e.g. Storage Service Class, Unified Worklist and Procedure Step).</summary>
    ServiceClass,
    /// <summary>A well-known SOP Instance (e.g. Storage Commitment Push Model SOP Instance).</summary>
    WellKnownSopInstance,
    /// <summary>A well-known Printer SOP Instance (retired print management).</summary>
    WellKnownPrinterSopInstance,
    /// <summary>A well-known Print Queue SOP Instance (retired print management).</summary>
    WellKnownPrintQueueSopInstance,
    /// <summary>A well-known frame of reference (e.g. Talairach Brain Atlas Frame of Reference).</summary>
    WellKnownFrameOfReference,
    /// <summary>A synchronization frame of reference (UTC).</summary>
    SynchronizationFrameOfReference,
    /// <summary>A coding scheme (e.g. DICOM Controlled Terminology, "DCM").</summary>
    CodingScheme,
    /// <summary>The UID of the DICOM UID registry used as a coding scheme.</summary>
    DicomUidsAsCodingScheme,
    /// <summary>An application context name (the DICOM Application Context Name of PS3.7).</summary>
    ApplicationContextName,
    /// <summary>An application hosting model (PS3.19).</summary>
    ApplicationHostingModel,
    /// <summary>A mapping resource (e.g. the DICOM Content Mapping Resource).</summary>
    MappingResource,
    /// <summary>An LDAP object identifier of the configuration schema (PS3.15 Annex H).</summary>
    LdapOid,
    /// <summary>A context group of PS3.16.</summary>
    ContextGroupName,
}
