using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Workflow.Tests;

public sealed class ReportVersionTests
{
    [Fact]
    public void Autosave_overwrites_the_current_draft_version()
    {
        var (request, _) = Requests.In(ReadRequestStatus.Assigned);
        var first = request.SaveDraft(Requests.Reader, new ReportContent("first", "i1"), null, Requests.T0);
        var second = request.SaveDraft(Requests.Reader, new ReportContent("第二次 second", "i2", StructuredFields: new Dictionary<string, string> { ["lungRads"] = "4A" }), first, Requests.T0.AddSeconds(5));

        Assert.Same(first, second);
        Assert.Equal(1, second.Version);
        Assert.Equal(1, request.ReportVersion);
        Assert.Equal("第二次 second", second.Findings);
        Assert.Equal("4A", second.StructuredFields["lungRads"]);
        Assert.Equal(ReportStatus.Draft, second.Status);
    }

    [Fact]
    public void Preliminary_then_final_on_signing()
    {
        var (request, report) = Requests.In(ReadRequestStatus.InReading);
        request.SavePreliminary(Requests.Reader, report, Requests.T0);
        Assert.Equal(ReportStatus.Preliminary, report!.Status);
        request.Sign(Requests.Reader, report, Requests.T0.AddMinutes(3));
        Assert.Equal(ReportStatus.Final, report.Status);
        Assert.Equal("rad", report.SignedBy);
        Assert.Equal(Requests.T0.AddMinutes(3), request.SignedAt);
    }

    [Fact]
    public void An_amendment_is_version_n_plus_one_with_its_reason_and_signing_it_flags_critical_again()
    {
        var (request, signed) = Requests.In(ReadRequestStatus.Delivered);
        request.AcknowledgeCritical(Requests.Clinic, Requests.T0);
        Assert.NotNull(request.CriticalAcknowledgedAt);

        var amended = request.Amend(Requests.OtherReader, "wrong side", signed, Requests.T0.AddHours(1));

        Assert.Equal(2, amended.Version);
        Assert.Equal(2, request.ReportVersion);
        Assert.Equal("wrong side", amended.AmendmentReason);
        Assert.Equal(signed!.Findings, amended.Findings);
        Assert.Equal(ReportStatus.Final, signed.Status);
        Assert.Equal("rad2", request.Assignee);
        request.SaveDraft(Requests.OtherReader, Requests.Report(critical: true), amended, Requests.T0.AddHours(1));
        request.Sign(Requests.OtherReader, amended, Requests.T0.AddHours(1));
        Assert.True(request.CriticalFlagged);
        Assert.Null(request.CriticalAcknowledgedAt);
        Assert.Equal(Requests.T0, request.FirstSignedAt);
    }

    [Fact]
    public void A_version_that_is_not_the_current_one_is_refused()
    {
        var (request, signed) = Requests.In(ReadRequestStatus.Amended);
        var error = Assert.Throws<WorkflowException>(() => request.SaveDraft(Requests.Reader, Requests.Report(), ReadRequestsTestsHelpers.Version1Of(request), Requests.T0));
        Assert.Equal(WorkflowRefusal.Conflict, error.Refusal);
        _ = signed;
    }

    [Fact]
    public void Oversized_findings_are_refused()
    {
        var (request, _) = Requests.In(ReadRequestStatus.Assigned);
        var error = Assert.Throws<WorkflowException>(() => request.SaveDraft(Requests.Reader, new ReportContent(new string('x', ReportContent.MaxTextLength + 1), null), null, Requests.T0));
        Assert.Equal(WorkflowRefusal.InvalidInput, error.Refusal);
    }
}

internal static class ReadRequestsTestsHelpers
{
    /// <summary>Version 1 of a request that is at a later version (what a stale editor would send).</summary>
    public static ReportVersion Version1Of(ReadRequest request)
    {
        var (other, v1) = Requests.In(ReadRequestStatus.InReading);
        Assert.Equal(1, v1!.Version);
        Assert.NotEqual(other.Id, request.Id);
        return v1;
    }
}
