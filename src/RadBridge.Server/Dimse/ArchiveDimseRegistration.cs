using Microsoft.Extensions.DependencyInjection;

namespace RadBridge.Server.Dimse;

/// <summary>Composition of the archive SCP into the server's host.</summary>
public static class ArchiveDimseRegistration
{
    /// <summary>Registers the archive SCP (<see cref="ArchiveDimseListener"/>) as a hosted service, with its authoriser.</summary>
    public static IServiceCollection AddArchiveDimse(this IServiceCollection services)
    {
        services.AddSingleton<ArchiveAssociationAuthorizer>();
        services.AddSingleton<ArchiveDimseListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ArchiveDimseListener>());
        return services;
    }
}
