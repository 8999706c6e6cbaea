namespace RadBridge.Dicom.Deidentification;

/// <summary>
/// The option columns of PS3.15 Table E.1-1, in the table's order, with their PS3.16 CID 7050 (De-identification
/// Method) codes, scheme "DCM".
/// </summary>
public enum ConfidentialityProfileOption : byte
{
    /// <summary>Retain Safe Private Option (E.3.10), DCM 113111.</summary>
    RetainSafePrivate,

    /// <summary>Retain UIDs Option (E.3.9), DCM 113110.</summary>
    RetainUids,

    /// <summary>Retain Device Identity Option (E.3.8), DCM 113109.</summary>
    RetainDeviceIdentity,

    /// <summary>Retain Institution Identity Option (E.3.11), DCM 113112.</summary>
    RetainInstitutionIdentity,

    /// <summary>Retain Patient Characteristics Option (E.3.7), DCM 113108.</summary>
    RetainPatientCharacteristics,

    /// <summary>Retain Longitudinal Temporal Information with Full Dates Option (E.3.6), DCM 113106.</summary>
    RetainLongitudinalFullDates,

    /// <summary>Retain Longitudinal Temporal Information with Modified Dates Option (E.3.6), DCM 113107.</summary>
    RetainLongitudinalModifiedDates,

    /// <summary>Clean Descriptors Option (E.3.5), DCM 113105.</summary>
    CleanDescriptors,

    /// <summary>Clean Structured Content Option (E.3.4), DCM 113104.</summary>
    CleanStructuredContent,

    /// <summary>Clean Graphics Option (E.3.3), DCM 113103.</summary>
    CleanGraphics,
}

/// <summary>The CID 7050 codes of the profile and its options.</summary>
public static class ConfidentialityProfileCodes
{
    /// <summary>Coding Scheme Designator of the codes.</summary>
    public const string Scheme = "DCM";

    /// <summary>"Basic Application Confidentiality Profile".</summary>
    public const string BasicProfileCode = "113100";

    /// <summary>Code meaning of <see cref="BasicProfileCode"/>.</summary>
    public const string BasicProfileMeaning = "Basic Application Confidentiality Profile";

    /// <summary>The CID 7050 code value and meaning of an option (PS3.16 Table CID 7050, meanings as in Annex D).</summary>
    public static (string Value, string Meaning) Code(this ConfidentialityProfileOption option) => option switch
    {
        ConfidentialityProfileOption.CleanGraphics => ("113103", "Clean Graphics Option"),
        ConfidentialityProfileOption.CleanStructuredContent => ("113104", "Clean Structured Content Option"),
        ConfidentialityProfileOption.CleanDescriptors => ("113105", "Clean Descriptors Option"),
        ConfidentialityProfileOption.RetainLongitudinalFullDates => ("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
        ConfidentialityProfileOption.RetainLongitudinalModifiedDates => ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
        ConfidentialityProfileOption.RetainPatientCharacteristics => ("113108", "Retain Patient Characteristics Option"),
        ConfidentialityProfileOption.RetainDeviceIdentity => ("113109", "Retain Device Identity Option"),
        ConfidentialityProfileOption.RetainUids => ("113110", "Retain UIDs Option"),
        ConfidentialityProfileOption.RetainSafePrivate => ("113111", "Retain Safe Private Option"),
        ConfidentialityProfileOption.RetainInstitutionIdentity => ("113112", "Retain Institution Identity Option"),
        _ => throw new ArgumentOutOfRangeException(nameof(option), option, null),
    };
}
