using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Hubs;
using RadBridge.Workflow.Notifications;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Sla;

namespace RadBridge.Server.ReadRequests;

/// <summary>
/// The workflow's timers, on <see cref="TimeProvider"/>: every <see cref="WorkflowOptions.MonitorInterval"/> it warns the
/// centre's readers of requests past 75 % of their SLA, escalates breached ones to the centre's supervisor
/// (administrator), and tells the clinic again of a critical finding it has not acknowledged. Each is a notification
/// row (seen later by who was offline) and a hub push; the request keeps when it was done, so a restart repeats nothing.
/// </summary>
internal sealed partial class ReadRequestMonitor(
    IDbContextFactory<ArchiveDbContext> contexts,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    IWorklistBroadcaster broadcaster,
    ReadRequestService requests,
    ReportDelivery delivery,
    ILogger<ReadRequestMonitor> log) : BackgroundService
{
    private static readonly ReadRequestStatus[] Open =
        [ReadRequestStatus.Requested, ReadRequestStatus.Assigned, ReadRequestStatus.InReading, ReadRequestStatus.Preliminary, ReadRequestStatus.Amended];

    private static readonly ReadRequestStatus[] Reported = [ReadRequestStatus.Signed, ReadRequestStatus.Delivered, ReadRequestStatus.Amended];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database hiccup must not end the timers; the next round retries.
                LogRoundFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round: undelivered signed reports, SLA warnings and escalations, then critical re-notifications.</summary>
    internal async Task RunOnceAsync(CancellationToken ct)
    {
        await RetryDeliveriesAsync(ct).ConfigureAwait(false);
        await NotifyAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Signed requests whose documents were not stored (the archive failed at signing time) are tried again.</summary>
    private async Task RetryDeliveriesAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - options.Value.DeliveryRetryAfter;
        List<string> stuck;
        await using (var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            stuck = await db.ReadRequests.Where(r => r.Status == ReadRequestStatus.Signed && r.SignedAt < before)
                .OrderBy(r => r.SignedAt).Select(r => r.Id).Take(20).ToListAsync(ct).ConfigureAwait(false);
        }
        foreach (var id in stuck) await delivery.DeliverAsync(id, ct).ConfigureAwait(false);
    }

    private async Task NotifyAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var sla = settings.Sla;
        // Only requests that could have crossed the warning line: due within the longest warning window from now.
        var horizon = now + TimeSpan.FromTicks((long)(new[] { sla.Stat, sla.Urgent, sla.Routine }.Max().Ticks * (1 - sla.WarningFraction)));
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var candidates = await db.ReadRequests.AsTracking()
            .Where(r => Open.Contains(r.Status) && r.FirstSignedAt == null && r.SlaEscalatedAt == null && r.DueAt <= horizon)
            .OrderBy(r => r.DueAt).Take(500).ToListAsync(ct).ConfigureAwait(false);
        var pending = new List<(WorkflowNotification Notification, ReadRequest Request)>();
        foreach (var r in candidates)
        {
            var state = sla.Evaluate(r, now).State;
            if (state == SlaState.Breached)
            {
                r.MarkSlaEscalated(now);
                pending.Add((Notice(r, r.CentreOrganizationId, ArchiveRoles.Admin, NotificationKinds.SlaBreached,
                    $"{WireNames.Of(r.Priority)} read request {r.Id} ({r.Modality} {r.BodyPart}) is past its deadline {r.DueAt:u}; assigned to {r.Assignee ?? "nobody"}", now), r));
            }
            else if (state == SlaState.Warning && r.SlaWarnedAt is null)
            {
                r.MarkSlaWarned(now);
                pending.Add((Notice(r, r.CentreOrganizationId, null, NotificationKinds.SlaWarning,
                    $"{WireNames.Of(r.Priority)} read request {r.Id} ({r.Modality} {r.BodyPart}) is due at {r.DueAt:u}", now), r));
            }
        }
        var critical = await db.ReadRequests.AsTracking()
            .Where(r => r.CriticalFlagged && r.CriticalAcknowledgedAt == null && Reported.Contains(r.Status))
            .Take(500).ToListAsync(ct).ConfigureAwait(false);
        foreach (var r in critical.Where(r => r.CriticalNotificationDue(settings.CriticalRenotifyInterval, now)))
        {
            r.MarkCriticalNotified(now);
            pending.Add((Notice(r, r.ClinicOrganizationId, null, NotificationKinds.CriticalFinding,
                $"the report of read request {r.Id} (study {r.StudyInstanceUid}) has a critical finding to acknowledge (notice {r.CriticalNotifications})", now), r));
        }
        if (pending.Count == 0) return;
        db.WorkflowNotifications.AddRange(pending.Select(p => p.Notification));
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A user changed one of them meanwhile: nothing was saved; the next round sees the new state.
            return;
        }
        foreach (var (notification, request) in pending)
        {
            LogNotified(notification.Kind, request.Id);
            await broadcaster.NotifyAsync(NotificationView.From(notification), notification.OrganizationId, notification.RecipientRole).ConfigureAwait(false);
        }
        foreach (var id in pending.Select(p => p.Request.Id).Distinct(StringComparer.Ordinal))
        {
            await requests.PushAsync(id, ct).ConfigureAwait(false);
        }
    }

    private static WorkflowNotification Notice(ReadRequest r, int organizationId, string? role, string kind, string message, DateTimeOffset now) =>
        new() { ReadRequestId = r.Id, OrganizationId = organizationId, RecipientRole = role, Kind = kind, Message = message, CreatedAt = now };

    [LoggerMessage(Level = LogLevel.Error, Message = "the read request monitor's round failed")]
    private partial void LogRoundFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} for read request {Id}")]
    private partial void LogNotified(string kind, string id);
}
