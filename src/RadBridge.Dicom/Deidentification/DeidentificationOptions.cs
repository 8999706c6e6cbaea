namespace RadBridge.Dicom.Deidentification;

/// <summary>A private attribute known to carry no identifying information (PS3.15 §E.3.10), by creator and element offset.</summary>
/// <param name="Group">The odd group, e.g. 0x0019.</param>
/// <param name="PrivateCreator">The private creator string that reserves the block.</param>
/// <param name="ElementOffset">The low byte of the element number (0x00–0xFF) within the block.</param>
public sealed record SafePrivateAttribute(ushort Group, string PrivateCreator, byte ElementOffset);

/// <summary>
/// How <see cref="DicomDeidentifier"/> de-identifies: the PS3.15 Annex E options, the replacement values and the
/// secrets that make UIDs, pseudonyms and date shifts reproducible across runs.
/// </summary>
public sealed record DeidentificationOptions
{
    /// <summary>The Basic Profile with no option.</summary>
    public static DeidentificationOptions Basic { get; } = new();

    /// <summary>Retain Safe Private Option: keep the private attributes listed in <see cref="SafePrivateAttributes"/>.</summary>
    public bool RetainSafePrivate { get; init; }

    /// <summary>Retain UIDs Option: keep every UID.</summary>
    public bool RetainUids { get; init; }

    /// <summary>Retain Device Identity Option.</summary>
    public bool RetainDeviceIdentity { get; init; }

    /// <summary>Retain Institution Identity Option.</summary>
    public bool RetainInstitutionIdentity { get; init; }

    /// <summary>Retain Patient Characteristics Option (sex, age, size, weight, ethnic group, smoking and pregnancy status…).</summary>
    public bool RetainPatientCharacteristics { get; init; }

    /// <summary>Retain Longitudinal Temporal Information with Full Dates Option: dates and times are kept.</summary>
    public bool RetainLongitudinalFullDates { get; init; }

    /// <summary>
    /// Retain Longitudinal Temporal Information with Modified Dates Option: every date is shifted by the same number
    /// of days for one patient (see <see cref="DateShiftDays"/>), so intervals are kept.
    /// </summary>
    public bool RetainLongitudinalModifiedDates { get; init; }

    /// <summary>Clean Descriptors Option: descriptions and comments are kept when cleaning finds nothing identifying in them.</summary>
    public bool CleanDescriptors { get; init; }

    /// <summary>Clean Structured Content Option: SR content and acquisition context are kept, cleaned, instead of replaced.</summary>
    public bool CleanStructuredContent { get; init; }

    /// <summary>Clean Graphics Option: graphic annotations are kept, cleaned; overlays and curves are still removed (bitmaps cannot be cleaned automatically).</summary>
    public bool CleanGraphics { get; init; }

    /// <summary>
    /// A secret of the project. When set, replacement UIDs are name-based "2.25." UIDs of the original UID under
    /// this secret, patient ID pseudonyms are derived from it, and so is each patient's date shift: the same input
    /// gives the same output in every run. When null, replacements are random but consistent within one
    /// <see cref="DicomDeidentifier"/>.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>
    /// The number of days every date is moved by under <see cref="RetainLongitudinalModifiedDates"/> (negative moves
    /// into the past). When null, each patient gets a shift of 1 to <see cref="DateShiftRangeDays"/> days into the past,
    /// derived from <see cref="Secret"/> and the Patient ID (or random, consistent within the run, without a secret).
    /// </summary>
    public int? DateShiftDays { get; init; }

    /// <summary>Largest per-patient shift in days when <see cref="DateShiftDays"/> is not given.</summary>
    public int DateShiftRangeDays { get; init; } = 365;

    /// <summary>The value Patient's Name (0010,0010) is replaced with.</summary>
    public string PatientName { get; init; } = "ANONYMOUS";

    /// <summary>The value Patient ID (0010,0020) is replaced with; null for a pseudonym ("ANON" + 12 hex digits) per original ID.</summary>
    public string? PatientId { get; init; }

    /// <summary>
    /// Private attributes kept under <see cref="RetainSafePrivate"/>. Empty by default: PS3.15 Table E.3.10-1 is not
    /// shipped, so the option keeps nothing unless the caller lists attributes it has verified.
    /// </summary>
    public IReadOnlyCollection<SafePrivateAttribute> SafePrivateAttributes { get; init; } = [];

    /// <summary>
    /// Cleans a descriptor (action C on text): given the tag and the value, returns the cleaned value, or null to
    /// remove it. When null, the built-in cleaning keeps a value unless it contains one of the identifying values of
    /// the data set (names, IDs, dates, institution…), and replaces it otherwise.
    /// </summary>
    public Func<DicomTag, string, string?>? DescriptorCleaner { get; init; }

    /// <summary>The enabled option columns.</summary>
    public IReadOnlySet<ConfidentialityProfileOption> EnabledOptions()
    {
        var set = new HashSet<ConfidentialityProfileOption>();
        if (RetainSafePrivate) set.Add(ConfidentialityProfileOption.RetainSafePrivate);
        if (RetainUids) set.Add(ConfidentialityProfileOption.RetainUids);
        if (RetainDeviceIdentity) set.Add(ConfidentialityProfileOption.RetainDeviceIdentity);
        if (RetainInstitutionIdentity) set.Add(ConfidentialityProfileOption.RetainInstitutionIdentity);
        if (RetainPatientCharacteristics) set.Add(ConfidentialityProfileOption.RetainPatientCharacteristics);
        if (RetainLongitudinalFullDates) set.Add(ConfidentialityProfileOption.RetainLongitudinalFullDates);
        if (RetainLongitudinalModifiedDates) set.Add(ConfidentialityProfileOption.RetainLongitudinalModifiedDates);
        if (CleanDescriptors) set.Add(ConfidentialityProfileOption.CleanDescriptors);
        if (CleanStructuredContent) set.Add(ConfidentialityProfileOption.CleanStructuredContent);
        if (CleanGraphics) set.Add(ConfidentialityProfileOption.CleanGraphics);
        return set;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for contradictory or out-of-range settings.</summary>
    public void Validate()
    {
        if (RetainLongitudinalFullDates && RetainLongitudinalModifiedDates)
            throw new ArgumentException("Retain Longitudinal Temporal Information with Full Dates and with Modified Dates exclude each other");
        if (DateShiftRangeDays < 1) throw new ArgumentException("DateShiftRangeDays must be at least 1");
        if (DateShiftDays is { } d && Math.Abs(d) > 365 * 200) throw new ArgumentException("DateShiftDays is beyond two centuries");
        ArgumentException.ThrowIfNullOrWhiteSpace(PatientName);
        if (PatientId is not null) ArgumentException.ThrowIfNullOrWhiteSpace(PatientId);
        ArgumentNullException.ThrowIfNull(SafePrivateAttributes);
    }
}
