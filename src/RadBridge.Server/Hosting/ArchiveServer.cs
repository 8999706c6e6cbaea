using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using RadBridge.Archive;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Reporting.Dicom;
using RadBridge.Reporting.Pdf;
using RadBridge.Reporting.Templates;
using RadBridge.Server.Api;
using RadBridge.Server.Auth;
using RadBridge.Server.DicomWeb;
using RadBridge.Server.Dimse;
using RadBridge.Server.Hubs;
using RadBridge.Server.ReadRequests;
using RadBridge.Server.Reports;
using Serilog;

namespace RadBridge.Server.Hosting;

/// <summary>
/// Composes <c>radbridge serve</c>: the archive (index, store, ingest, audit), authentication, DICOMweb, the API, the
/// DIMSE SCP, health, metrics and logs, in one ASP.NET Core host.
/// </summary>
public static class ArchiveServer
{
    /// <summary>Prepares the data directory (schema, recovery, demo partnership) and builds the host, not yet started.</summary>
    public static async Task<WebApplication> BuildAsync(ServeOptions options, TextWriter console, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        var location = new ArchiveLocation(options.DataDirectory, options.DatabaseConnectionString);
        await ArchiveDatabase.EnsureSchemaAsync(location, ct).ConfigureAwait(false);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = options.WebRoot,
            EnvironmentName = Environments.Production,
        });
        builder.Host.UseSerilog((_, log) => log
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Serilog.Events.LogEventLevel.Information)
            .MinimumLevel.Override("OpenIddict", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture, outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}"));
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        ConfigureKestrel(builder.WebHost, options);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(location);
        services.AddSingleton<ReadinessState>();
        services.AddSingleton(new InstanceFileStore(location));
        services.AddDbContextFactory<ArchiveDbContext>(o =>
        {
            ArchiveDatabase.Configure(o, location);
            o.UseOpenIddict();
        }, ServiceLifetime.Singleton);
        services.AddSingleton(_ => new HashChainedAuditLog(location));
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<HashChainedAuditLog>());
        services.AddSingleton(sp => new ArchiveIngest(location, sp.GetRequiredService<IDbContextFactory<ArchiveDbContext>>(),
            sp.GetRequiredService<IAuditSink>(), options.Duplicates, sp.GetRequiredService<ILoggerFactory>().CreateLogger<ArchiveIngest>()));

        // Reports: PDF rendering (fonts looked up on the first render), the DICOM report objects, storing them into the study.
        services.AddSingleton(new ReportPdfRenderer());
        services.AddSingleton(new ReportDicomBuilder());
        services.AddSingleton<ReportArchiver>();
        services.AddSingleton(ReportTemplateCatalog.Default);

        services.AddRadBridgeAuthentication(location);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(ArchiveMetrics.MeterName)
            .AddPrometheusExporter());
        services.AddSingleton<ArchiveMetrics>();
        services.AddArchiveDimse();
        services.AddReadRequestWorkflow(builder.Configuration);

        var app = builder.Build();
        var recovery = await ArchiveRecovery.RunAsync(location, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RadBridge.Recovery"), ct).ConfigureAwait(false);
        if (!recovery.NothingToDo)
        {
            await console.WriteLineAsync($"recovery: {recovery.IncompleteMoved} incomplete uploads and {recovery.OrphansQuarantined} unindexed files moved to {location.QuarantineDirectory}; {recovery.MissingFiles.Count} indexed instances without a file; {recovery.UnacknowledgedRemoved} unacknowledged rows removed").ConfigureAwait(false);
        }
        if (!options.NoDemo &&
            await DemoPartnership.SeedAsync(location, app.Services.GetRequiredService<IDbContextFactory<ArchiveDbContext>>(),
                app.Services.GetRequiredService<IAuditSink>(), ct).ConfigureAwait(false) is { } demo)
        {
            await console.WriteLineAsync(demo).ConfigureAwait(false);
        }
        app.UseExceptionHandler();
        if (options.WebRoot is not null) app.UseWebApp();
        // Routing explicitly after the static files: WebApplication would otherwise add it first, the web app's
        // catch-all fallback would be selected for /assets/… and the static file middleware skips requests that
        // already have an endpoint (every hashed asset answered with index.html's 404 path).
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealth();
        app.MapQido();
        app.MapRadBridgeAuth();
        app.MapAccountApi();
        app.MapReadRequests();
        app.MapReadingSetup();
        app.MapHub<WorklistHub>(WorklistHub.Path);
        app.MapReportTemplateApi();
        app.MapTotpApi();
        app.MapWado();
        app.MapStow();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app, "/api/docs");
        if (options.WebRoot is not null) app.MapWebApp();

        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<ReadinessState>().MarkReady());
        app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<ReadinessState>().MarkStopping());
        // After the listeners have stopped (in-flight stores finished): drain the index writer, then leave the marker
        // that spares the next start a full reconciliation.
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            app.Services.GetRequiredService<ArchiveIngest>().DisposeAsync().AsTask().GetAwaiter().GetResult();
            ArchiveRecovery.MarkCleanShutdown(location);
        });
        return app;
    }

    private static void ConfigureKestrel(IWebHostBuilder web, ServeOptions options)
    {
        web.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            k.Limits.MaxRequestBodySize = null; // STOW of a whole study; bounded by disk, streamed to temp files.
            k.Listen(options.Bind, options.HttpPort, listen =>
            {
                if (options.TlsCertificatePath is { } pfx)
                {
                    listen.UseHttps(X509CertificateLoader.LoadPkcs12FromFile(pfx, options.TlsCertificatePassword));
                }
            });
        });
    }

    private static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Text("live")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/health/ready", async (ReadinessState state, IDbContextFactory<ArchiveDbContext> contexts, CancellationToken ct) =>
        {
            if (!state.IsReady) return Results.Text(state.Reason, statusCode: StatusCodes.Status503ServiceUnavailable);
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            return await db.Database.CanConnectAsync(ct).ConfigureAwait(false)
                ? Results.Text("ready")
                : Results.Text("index database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>The URL users open, for the start banner.</summary>
    public static string PublicUrl(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = options.Bind.Equals(IPAddress.Any) || options.Bind.Equals(IPAddress.IPv6Any) ? Dns.GetHostName()
            : options.Bind.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Bind}]" : options.Bind.ToString();
        return $"{(options.TlsCertificatePath is null ? "http" : "https")}://{host}:{options.HttpPort}";
    }
}

/// <summary>Ready once the host has started (schema, recovery and listeners done); not ready while stopping.</summary>
public sealed class ReadinessState
{
    private volatile string _reason = "starting";
    private volatile bool _ready;

    public bool IsReady => _ready;
    public string Reason => _reason;

    public void MarkReady()
    {
        _reason = "ready";
        _ready = true;
    }

    public void MarkStopping()
    {
        _reason = "stopping";
        _ready = false;
    }
}
