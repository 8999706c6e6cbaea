using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Workflow.Tests;

/// <summary>Every row of the transition table taken, every pair not in it refused, and every row refused to the wrong party.</summary>
public sealed class TransitionTests
{
    public static TheoryData<ReadRequestStatus, ReadRequestAction, ReadRequestStatus> Legal()
    {
        var data = new TheoryData<ReadRequestStatus, ReadRequestAction, ReadRequestStatus>();
        foreach (var t in ReadRequestTransitions.All) data.Add(t.From, t.Action, t.To);
        return data;
    }

    public static TheoryData<ReadRequestStatus, ReadRequestAction> Illegal()
    {
        var data = new TheoryData<ReadRequestStatus, ReadRequestAction>();
        foreach (var from in Enum.GetValues<ReadRequestStatus>())
        {
            foreach (var action in Enum.GetValues<ReadRequestAction>())
            {
                if (action != ReadRequestAction.Create && ReadRequestTransitions.Find(from, action) is null) data.Add(from, action);
            }
        }
        return data;
    }

    /// <summary>Each legal row with each party (clinic, a reader who is not the assignee, the supervisor) it does not allow.</summary>
    public static TheoryData<ReadRequestStatus, ReadRequestAction, string> WrongParty()
    {
        var data = new TheoryData<ReadRequestStatus, ReadRequestAction, string>();
        foreach (var t in ReadRequestTransitions.All)
        {
            if ((t.AllowedParties & WorkflowParty.Clinic) == 0) data.Add(t.From, t.Action, "clinic");
            if ((t.AllowedParties & WorkflowParty.Reader) == 0 && !(t.AllowedParties.HasFlag(WorkflowParty.Assignee) && t.From == ReadRequestStatus.Requested))
            {
                data.Add(t.From, t.Action, "otherReader");
            }
            if ((t.AllowedParties & WorkflowParty.CentreAdmin) == 0) data.Add(t.From, t.Action, "admin");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Legal))]
    public void A_legal_transition_leads_to_its_state(ReadRequestStatus from, ReadRequestAction action, ReadRequestStatus to)
    {
        var (request, report) = Requests.In(from);
        var allowed = ReadRequestTransitions.Find(from, action)!.AllowedParties;
        var actor = allowed.HasFlag(WorkflowParty.Assignee) ? Requests.Reader
            : allowed.HasFlag(WorkflowParty.Reader) ? Requests.OtherReader
            : allowed.HasFlag(WorkflowParty.Clinic) ? Requests.Clinic
            : allowed.HasFlag(WorkflowParty.CentreAdmin) ? Requests.Admin
            : Requests.System;
        var revision = request.Revision;

        Requests.Perform(request, report, action, actor);

        Assert.Equal(to, request.Status);
        Assert.True(request.Revision > revision, "every change bumps the concurrency token");
    }

    [Theory]
    [MemberData(nameof(Illegal))]
    public void An_action_not_in_the_table_is_refused_with_the_state_named(ReadRequestStatus from, ReadRequestAction action)
    {
        var (request, report) = Requests.In(from);

        // A save is StartReading when the request is assigned and SaveDraft otherwise (the aggregate picks): the two
        // pairs the method never produces are checked against the table itself.
        var error = action is ReadRequestAction.StartReading or ReadRequestAction.SaveDraft
            && from is ReadRequestStatus.Assigned or ReadRequestStatus.InReading or ReadRequestStatus.Preliminary or ReadRequestStatus.Amended
            ? Assert.Throws<WorkflowException>(() => ReadRequestTransitions.Check(from, action, Requests.Anyone, request.Assignee))
            : Assert.Throws<WorkflowException>(() => Requests.Perform(request, report, action, Requests.Anyone));

        Assert.Equal(WorkflowRefusal.IllegalTransition, error.Refusal);
        Assert.Equal(from, request.Status);
        if (action != ReadRequestAction.AcknowledgeCritical)
        {
            Assert.Contains($"a read request that is '{ReadRequestTransitions.WireName(from)}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(WrongParty))]
    public void A_party_the_row_does_not_allow_is_refused(ReadRequestStatus from, ReadRequestAction action, string party)
    {
        var (request, report) = Requests.In(from);
        var actor = party switch
        {
            "clinic" => Requests.Clinic,
            "otherReader" => Requests.OtherReader,
            _ => Requests.Admin,
        };

        var error = Assert.Throws<WorkflowException>(() => Requests.Perform(request, report, action, actor));

        Assert.Equal(WorkflowRefusal.NotPermitted, error.Refusal);
        Assert.Equal(from, request.Status);
    }

    [Fact]
    public void Signing_an_unclaimed_request_says_to_claim_it_first()
    {
        var (request, _) = Requests.In(ReadRequestStatus.Requested);

        var error = Assert.Throws<WorkflowException>(() => request.Sign(Requests.Reader, null, Requests.T0));

        Assert.Equal(WorkflowRefusal.IllegalTransition, error.Refusal);
        Assert.Equal("cannot sign a read request that is 'requested'; claim it first", error.Message);
    }

    [Fact]
    public void Signing_a_colleagues_request_names_the_assignee()
    {
        var (request, report) = Requests.In(ReadRequestStatus.InReading);

        var error = Assert.Throws<WorkflowException>(() => request.Sign(Requests.OtherReader, report, Requests.T0));

        Assert.Equal(WorkflowRefusal.NotPermitted, error.Refusal);
        Assert.Equal("cannot sign this read request: it is assigned to 'rad', not to you", error.Message);
    }

    [Fact]
    public void A_clinic_user_may_never_sign()
    {
        var (request, report) = Requests.In(ReadRequestStatus.InReading);

        var error = Assert.Throws<WorkflowException>(() => request.Sign(Requests.Clinic, report, Requests.T0));

        Assert.Equal(WorkflowRefusal.NotPermitted, error.Refusal);
        Assert.Equal("only the assigned reader may sign a read request", error.Message);
    }

    [Fact]
    public void Only_the_clinic_may_create_a_request()
    {
        var error = Assert.Throws<WorkflowException>(() => ReadRequest.Create(Requests.Reader, 1, "1.2", 10, 20,
            new ReadRequestDraft(ReadPriority.Routine, "?"), new Sla.SlaPolicy(), Requests.T0));
        Assert.Equal(WorkflowRefusal.NotPermitted, error.Refusal);
    }

    [Fact]
    public void A_created_request_is_requested_with_its_deadline()
    {
        var (request, _) = Requests.In(ReadRequestStatus.Requested);
        Assert.Equal(ReadRequestTransitions.Initial, request.Status);
        Assert.Equal(Requests.T0.AddMinutes(30), request.DueAt);
        Assert.Equal("CT", request.Modality);
        Assert.Equal("CHEST", request.BodyPart);
        Assert.Equal(32, request.Id.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Return_cancel_and_amend_need_a_reason(string reason)
    {
        var (requested, _) = Requests.In(ReadRequestStatus.Requested);
        Assert.Equal(WorkflowRefusal.InvalidInput, Assert.Throws<WorkflowException>(() => requested.Return(Requests.Reader, reason, Requests.T0)).Refusal);
        Assert.Equal(WorkflowRefusal.InvalidInput, Assert.Throws<WorkflowException>(() => requested.Cancel(Requests.Clinic, reason, Requests.T0)).Refusal);
        var (signed, report) = Requests.In(ReadRequestStatus.Signed);
        Assert.Equal(WorkflowRefusal.InvalidInput, Assert.Throws<WorkflowException>(() => signed.Amend(Requests.Reader, reason, report, Requests.T0)).Refusal);
        Assert.Equal(ReadRequestStatus.Requested, requested.Status);
        Assert.Equal(ReadRequestStatus.Signed, signed.Status);
    }

    [Fact]
    public void An_empty_report_cannot_be_signed()
    {
        var (request, _) = Requests.In(ReadRequestStatus.Assigned);
        var draft = request.SaveDraft(Requests.Reader, new ReportContent("  ", null), null, Requests.T0);

        var error = Assert.Throws<WorkflowException>(() => request.Sign(Requests.Reader, draft, Requests.T0));

        Assert.Equal(WorkflowRefusal.InvalidInput, error.Refusal);
        Assert.Equal(ReadRequestStatus.InReading, request.Status);
    }
}
