using Microsoft.Extensions.Time.Testing;
using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Workflow.Tests;

/// <summary>Re-notification of an unacknowledged critical finding every interval, against a fake clock.</summary>
public sealed class CriticalFindingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    [Fact]
    public void The_clinic_is_told_at_once_then_every_interval_until_it_acknowledges()
    {
        var clock = new FakeTimeProvider(Requests.T0);
        var (r, _) = Requests.In(ReadRequestStatus.Signed, at: clock.GetUtcNow());
        Assert.True(r.CriticalFlagged);

        var times = new List<TimeSpan>();
        for (var minute = 0; minute <= 50; minute++)
        {
            if (r.CriticalNotificationDue(Interval, clock.GetUtcNow()))
            {
                r.MarkCriticalNotified(clock.GetUtcNow());
                times.Add(clock.GetUtcNow() - Requests.T0);
            }
            if (minute == 40) r.AcknowledgeCritical(Requests.Clinic, clock.GetUtcNow());
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)], times);
        Assert.Equal(3, r.CriticalNotifications);
        Assert.Equal("tech.east", r.CriticalAcknowledgedBy);
        Assert.False(r.CriticalNotificationDue(Interval, clock.GetUtcNow().AddHours(5)));
    }

    [Fact]
    public void A_report_without_a_critical_finding_notifies_nobody_and_cannot_be_acknowledged()
    {
        var (r, report) = Requests.In(ReadRequestStatus.InReading);
        r.SaveDraft(Requests.Reader, Requests.Report(critical: false), report, Requests.T0);
        r.Sign(Requests.Reader, report, Requests.T0);

        Assert.False(r.CriticalNotificationDue(Interval, Requests.T0.AddDays(1)));
        var error = Assert.Throws<WorkflowException>(() => r.AcknowledgeCritical(Requests.Clinic, Requests.T0));
        Assert.Equal(WorkflowRefusal.IllegalTransition, error.Refusal);
    }

    [Fact]
    public void A_second_acknowledgement_is_refused()
    {
        var (r, _) = Requests.In(ReadRequestStatus.Delivered);
        r.AcknowledgeCritical(Requests.Clinic, Requests.T0);
        var error = Assert.Throws<WorkflowException>(() => r.AcknowledgeCritical(Requests.Clinic, Requests.T0));
        Assert.Contains("acknowledged already by 'tech.east'", error.Message, StringComparison.Ordinal);
    }
}
