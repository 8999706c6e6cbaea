namespace RadBridge.Workflow.Routing;

/// <summary>
/// A routing rule of a centre: requests matching every criterion it names (modality, body part, subspecialty; an empty
/// criterion matches anything) go to its readers. Rules are tried in <see cref="Order"/>; the first match decides.
/// </summary>
public sealed class RoutingRule
{
    public int Id { get; set; }
    public int CentreOrganizationId { get; set; }

    /// <summary>Lower first.</summary>
    public int Order { get; set; }

    /// <summary>e.g. "CT"; null for any.</summary>
    public string? Modality { get; set; }

    /// <summary>e.g. "CHEST" (Body Part Examined terms); null for any.</summary>
    public string? BodyPart { get; set; }

    /// <summary>e.g. "neuro"; null for any.</summary>
    public string? Subspecialty { get; set; }

    /// <summary>Backslash-separated user names of the reader pool; empty leaves a match in the centre's open pool.</summary>
    public string Readers { get; set; } = "";

    public IReadOnlyList<string> ReaderNames => Readers.Length == 0 ? [] : Readers.Split('\\', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Whether a centre's reader takes work now (on duty) and what they read; one row per reader who set it.</summary>
public sealed class ReaderAvailability
{
    /// <summary>The user name (ASP.NET Identity's UserName).</summary>
    public required string UserName { get; set; }
    public int CentreOrganizationId { get; set; }
    public bool OnDuty { get; set; }

    /// <summary>Backslash-separated subspecialties (informative; the rules name readers explicitly).</summary>
    public string? Subspecialties { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
