using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Sla;

namespace RadBridge.Workflow.Tests;

/// <summary>Read requests brought into any state through the aggregate's own methods, and the actors that act on them.</summary>
internal static class Requests
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    public static readonly WorkflowActor Clinic = new("tech.east", WorkflowParty.Clinic);
    public static readonly WorkflowActor Reader = new("rad", WorkflowParty.Reader);
    public static readonly WorkflowActor OtherReader = new("rad2", WorkflowParty.Reader);
    public static readonly WorkflowActor Admin = new("admin", WorkflowParty.CentreAdmin);
    public static readonly WorkflowActor System = WorkflowActor.SystemActor;

    /// <summary>Everyone at once (named as the assignee): passes every role check, so only the state decides.</summary>
    public static readonly WorkflowActor Anyone = new("rad", WorkflowParty.Clinic | WorkflowParty.Reader | WorkflowParty.CentreAdmin | WorkflowParty.System);

    public static ReportContent Report(bool critical = true) =>
        new("右肺上叶见一结节，约8mm。 A nodule of 8 mm in the right upper lobe.", "右肺上叶结节 / RUL nodule", "zh-CN", Critical: critical);

    /// <summary>A request and its current report version, in <paramref name="state"/>.</summary>
    public static (ReadRequest Request, ReportVersion? Report) In(ReadRequestStatus state, SlaPolicy? sla = null, DateTimeOffset? at = null)
    {
        var now = at ?? T0;
        var policy = sla ?? new SlaPolicy();
        var r = ReadRequest.Create(Clinic, 1, "1.2.3.4", 10, 20,
            new ReadRequestDraft(ReadPriority.Stat, "肺结节？ Lung nodule?", BodyPart: "chest", Modality: "ct"), policy, now);
        ReportVersion? report = null;
        switch (state)
        {
            case ReadRequestStatus.Requested:
                break;
            case ReadRequestStatus.Returned:
                r.Return(Reader, "missing series", now);
                break;
            case ReadRequestStatus.Cancelled:
                r.Cancel(Clinic, "duplicate", now);
                break;
            default:
                r.Claim(Reader, now);
                if (state == ReadRequestStatus.Assigned) break;
                report = r.SaveDraft(Reader, Report(), null, now);
                if (state == ReadRequestStatus.InReading) break;
                if (state == ReadRequestStatus.Preliminary)
                {
                    r.SavePreliminary(Reader, report, now);
                    break;
                }
                r.Sign(Reader, report, now);
                if (state == ReadRequestStatus.Signed) break;
                r.Deliver(System, now);
                if (state == ReadRequestStatus.Delivered) break;
                report = r.Amend(Reader, "laterality corrected", report, now);
                break;
        }
        Assert.Equal(state, r.Status);
        return (r, report);
    }

    /// <summary>Takes <paramref name="action"/> through the aggregate's method for it.</summary>
    public static ReportVersion? Perform(ReadRequest r, ReportVersion? report, ReadRequestAction action, WorkflowActor actor, DateTimeOffset? at = null)
    {
        var now = at ?? T0.AddMinutes(1);
        switch (action)
        {
            case ReadRequestAction.Assign: r.Assign(actor, "rad3", now); return report;
            case ReadRequestAction.Claim: r.Claim(actor, now); return report;
            case ReadRequestAction.Release: r.Release(actor, now); return report;
            case ReadRequestAction.StartReading:
            case ReadRequestAction.SaveDraft: return r.SaveDraft(actor, Report(), report, now);
            case ReadRequestAction.SavePreliminary: r.SavePreliminary(actor, report, now); return report;
            case ReadRequestAction.Sign: r.Sign(actor, report, now); return report;
            case ReadRequestAction.Deliver: r.Deliver(actor, now); return report;
            case ReadRequestAction.Return: r.Return(actor, "poor image quality", now); return report;
            case ReadRequestAction.Resubmit: r.Resubmit(actor, new SlaPolicy(), now); return report;
            case ReadRequestAction.Cancel: r.Cancel(actor, "patient transferred", now); return report;
            case ReadRequestAction.Amend: return r.Amend(actor, "addendum", report, now);
            case ReadRequestAction.AcknowledgeCritical: r.AcknowledgeCritical(actor, now); return report;
            default: throw new ArgumentOutOfRangeException(nameof(action), action, "not an action on an existing request");
        }
    }
}
