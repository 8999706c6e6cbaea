namespace RadBridge.Archive.Tenancy;

/// <summary>
/// An institution of the partnership, and the unit of tenancy: a study belongs to the organisation that sent it and is
/// visible to another organisation only through a <see cref="StudyShare"/>.
/// </summary>
public sealed class Organization
{
    public int Id { get; set; }

    /// <summary>Unique display name, also the key the admin CLI uses (<c>--org NAME</c>).</summary>
    public required string Name { get; set; }

    /// <summary>The centre hospital whose readers report for the clinics (at most one per partnership, by convention).</summary>
    public bool IsCentre { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A DICOM application entity registered to an organisation: associations whose calling AE title is this one store into
/// and query that organisation; C-MOVE may send only to registered AEs (host and port given).
/// </summary>
public sealed class RegisteredAe
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public Organization? Organization { get; set; }

    /// <summary>The AE title, unique in the archive (trimmed, 1–16 characters).</summary>
    public required string AeTitle { get; set; }

    /// <summary>When set, associations from this AE must come from this host (IP address or name), else they are refused.</summary>
    public string? Host { get; set; }

    /// <summary>The port the AE listens on, for C-MOVE destinations; null when it is only a sender.</summary>
    public int? Port { get; set; }

    /// <summary>When set, the association must carry this DICOM user identity (username; the passcode is a user's password).</summary>
    public string? RequiredUser { get; set; }

    /// <summary>When set, the association must come over TLS with a client certificate of this SHA-256 thumbprint (hex).</summary>
    public string? ClientCertificateSha256 { get; set; }
}

/// <summary>An explicit share of a study with another organisation (for now the way a clinic sends a study for reading).</summary>
public sealed class StudyShare
{
    public long StudyId { get; set; }
    public int OrganizationId { get; set; }
    public DateTimeOffset SharedAt { get; set; }
    public string? SharedBy { get; set; }
}
