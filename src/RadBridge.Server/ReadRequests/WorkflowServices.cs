using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RadBridge.Server.Hubs;

namespace RadBridge.Server.ReadRequests;

/// <summary>Composition of the read request workflow: options, service, hub broadcaster and the timers.</summary>
public static class WorkflowServices
{
    public static IServiceCollection AddReadRequestWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WorkflowOptions>()
            .Bind(configuration.GetSection(WorkflowOptions.Section))
            .Validate(o =>
            {
                o.Sla.Validate();
                return o.CriticalRenotifyInterval > TimeSpan.Zero && o.MonitorInterval > TimeSpan.Zero;
            }, "Workflow: the critical re-notification and monitor intervals must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSignalR();
        services.AddSingleton<IWorklistBroadcaster, WorklistBroadcaster>();
        services.AddSingleton<ReadRequestService>();
        services.AddSingleton<ReportDelivery>();
        services.AddSingleton<ReadingSetup>();
        services.AddHostedService<ReadRequestMonitor>();
        return services;
    }
}
