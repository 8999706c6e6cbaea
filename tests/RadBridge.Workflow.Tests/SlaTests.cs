using Microsoft.Extensions.Time.Testing;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Sla;

namespace RadBridge.Workflow.Tests;

/// <summary>The SLA clock against a fake clock: ok → warning (75 %) → breached; met when signed in time.</summary>
public sealed class SlaTests
{
    private readonly FakeTimeProvider _clock = new(Requests.T0);
    private readonly SlaPolicy _policy = new();

    private ReadRequest New(ReadPriority priority) =>
        ReadRequest.Create(Requests.Clinic, 1, "1.2.3", 10, 20, new ReadRequestDraft(priority, "?"), _policy, _clock.GetUtcNow());

    [Theory]
    [InlineData(ReadPriority.Stat, 30 * 60)]
    [InlineData(ReadPriority.Urgent, 2 * 3600)]
    [InlineData(ReadPriority.Routine, 24 * 3600)]
    public void The_default_deadlines_are_the_partnerships(ReadPriority priority, int seconds)
    {
        var r = New(priority);
        Assert.Equal(TimeSpan.FromSeconds(seconds), r.DueAt - r.CreatedAt);
        Assert.Equal(new SlaStatus(SlaState.Ok, seconds), _policy.Evaluate(r, _clock.GetUtcNow()));
    }

    [Fact]
    public void A_stat_request_goes_ok_then_warning_then_breached()
    {
        var r = New(ReadPriority.Stat);

        _clock.Advance(TimeSpan.FromMinutes(22) + TimeSpan.FromSeconds(29));
        Assert.Equal(SlaState.Ok, _policy.Evaluate(r, _clock.GetUtcNow()).State);
        _clock.Advance(TimeSpan.FromSeconds(1)); // 22:30 = 75 % of 30 minutes
        Assert.Equal(new SlaStatus(SlaState.Warning, 450), _policy.Evaluate(r, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(7.5));
        Assert.Equal(new SlaStatus(SlaState.Warning, 0), _policy.Evaluate(r, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(new SlaStatus(SlaState.Breached, -61), _policy.Evaluate(r, _clock.GetUtcNow()));
    }

    [Fact]
    public void Signed_in_time_is_met_and_stays_met()
    {
        var r = New(ReadPriority.Urgent);
        r.Claim(Requests.Reader, _clock.GetUtcNow());
        var report = r.SaveDraft(Requests.Reader, Requests.Report(false), null, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(100));
        r.Sign(Requests.Reader, report, _clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(new SlaStatus(SlaState.Met, 20 * 60), _policy.Evaluate(r, _clock.GetUtcNow()));
    }

    [Fact]
    public void Signed_late_stays_breached()
    {
        var r = New(ReadPriority.Stat);
        r.Claim(Requests.Reader, _clock.GetUtcNow());
        var report = r.SaveDraft(Requests.Reader, Requests.Report(false), null, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(31));
        r.Sign(Requests.Reader, report, _clock.GetUtcNow());

        Assert.Equal(new SlaStatus(SlaState.Breached, -60), _policy.Evaluate(r, _clock.GetUtcNow()));
    }

    [Fact]
    public void A_returned_request_stops_the_clock_and_a_resubmission_restarts_it()
    {
        var r = New(ReadPriority.Stat);
        _clock.Advance(TimeSpan.FromMinutes(10));
        r.Return(Requests.Reader, "series 2 missing", _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(new SlaStatus(SlaState.Ok, 20 * 60), _policy.Evaluate(r, _clock.GetUtcNow()));

        r.Resubmit(Requests.Clinic, _policy, _clock.GetUtcNow());

        Assert.Equal(_clock.GetUtcNow().AddMinutes(30), r.DueAt);
        Assert.Equal(new SlaStatus(SlaState.Ok, 30 * 60), _policy.Evaluate(r, _clock.GetUtcNow()));
    }

    [Fact]
    public void The_policy_is_configurable_and_validated()
    {
        var policy = new SlaPolicy { Stat = TimeSpan.FromMinutes(10), WarningFraction = 0.5 };
        var r = ReadRequest.Create(Requests.Clinic, 1, "1.2", 10, 20, new ReadRequestDraft(ReadPriority.Stat, "?"), policy, Requests.T0);
        Assert.Equal(SlaState.Warning, policy.Evaluate(r, Requests.T0.AddMinutes(5)).State);
        Assert.Equal(SlaState.Ok, policy.Evaluate(r, Requests.T0.AddMinutes(4.9)).State);
        Assert.Throws<WorkflowException>(() => new SlaPolicy { Urgent = TimeSpan.Zero }.Validate());
        Assert.Throws<WorkflowException>(() => new SlaPolicy { WarningFraction = 1.5 }.Validate());
        new SlaPolicy().Validate();
    }
}
