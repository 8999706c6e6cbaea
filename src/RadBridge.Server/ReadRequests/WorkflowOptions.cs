using RadBridge.Workflow.Sla;

namespace RadBridge.Server.ReadRequests;

/// <summary>
/// The read request workflow's settings, from the server's configuration section <c>Workflow</c> (e.g. the environment
/// variables <c>Workflow__Sla__Stat=00:20:00</c>, <c>Workflow__CriticalRenotifyInterval=00:10:00</c>).
/// </summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>The deadlines per priority and the warning threshold.</summary>
    public SlaPolicy Sla { get; set; } = new();

    /// <summary>How often the clinic is told again of a critical finding it has not acknowledged.</summary>
    public TimeSpan CriticalRenotifyInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the monitor looks for SLA warnings, breaches and due critical re-notifications.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a signed request may wait for its report documents before the monitor tries storing them again.</summary>
    public TimeSpan DeliveryRetryAfter { get; set; } = TimeSpan.FromMinutes(1);
}
