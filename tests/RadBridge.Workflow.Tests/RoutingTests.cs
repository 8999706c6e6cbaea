using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Routing;
using RadBridge.Workflow.Sla;

namespace RadBridge.Workflow.Tests;

public sealed class RoutingTests
{
    private const int Centre = 20;

    private static ReadRequest Ct(string? bodyPart = "CHEST", string? subspecialty = null, string modality = "CT") =>
        ReadRequest.Create(Requests.Clinic, 1, "1.2", 10, Centre, new ReadRequestDraft(ReadPriority.Urgent, "?", BodyPart: bodyPart, Modality: modality, Subspecialty: subspecialty), new SlaPolicy(), Requests.T0);

    private static readonly RoutingRule ChestCt = new() { Id = 1, CentreOrganizationId = Centre, Order = 10, Modality = "CT", BodyPart = "CHEST", Readers = "alice\\bob\\carol" };
    private static readonly RoutingRule Neuro = new() { Id = 2, CentreOrganizationId = Centre, Order = 5, Subspecialty = "neuro", Readers = "dave" };
    private static readonly RoutingRule AnyMr = new() { Id = 3, CentreOrganizationId = Centre, Order = 20, Modality = "MR", Readers = "" };
    private static readonly RoutingRule OtherCentre = new() { Id = 4, CentreOrganizationId = 99, Order = 0, Readers = "zed" };

    private static readonly ReaderLoad[] Readers =
    [
        new("alice", true, 3),
        new("bob", true, 1),
        new("carol", false, 0),
        new("dave", true, 9),
        new("zed", true, 0),
    ];

    [Fact]
    public void The_least_loaded_reader_on_duty_of_the_matching_rule_gets_it()
    {
        var decision = ReadRequestRouter.Route(Ct(), [AnyMr, ChestCt, Neuro, OtherCentre], Readers);
        Assert.Equal(1, decision.RuleId);
        Assert.Equal("bob", decision.Assignee); // carol has no load but is off duty; zed belongs to another centre's rule
    }

    [Fact]
    public void Matching_ignores_case_and_empty_criteria_match_anything()
    {
        var decision = ReadRequestRouter.Route(Ct(bodyPart: "chest", modality: "ct"), [ChestCt], Readers);
        Assert.Equal("bob", decision.Assignee);
    }

    [Fact]
    public void Rules_are_tried_in_order()
    {
        var decision = ReadRequestRouter.Route(Ct(subspecialty: "neuro"), [ChestCt, Neuro], Readers);
        Assert.Equal(2, decision.RuleId);
        Assert.Equal("dave", decision.Assignee);
    }

    [Fact]
    public void Ties_go_to_the_first_name_for_a_reproducible_choice()
    {
        var decision = ReadRequestRouter.Route(Ct(), [ChestCt], [new("carol", true, 2), new("bob", true, 2), new("alice", true, 2)]);
        Assert.Equal("alice", decision.Assignee);
    }

    [Fact]
    public void Nobody_on_duty_leaves_the_request_in_the_pool()
    {
        var decision = ReadRequestRouter.Route(Ct(), [ChestCt], [new("alice", false, 0), new("bob", false, 0)]);
        Assert.Equal(1, decision.RuleId);
        Assert.Null(decision.Assignee);
        Assert.Contains("on duty", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void No_matching_rule_or_a_rule_without_readers_leaves_it_in_the_pool()
    {
        Assert.Null(ReadRequestRouter.Route(Ct(bodyPart: "HEAD"), [ChestCt], Readers).RuleId);
        var mr = ReadRequestRouter.Route(Ct(bodyPart: null, modality: "MR"), [ChestCt, AnyMr], Readers);
        Assert.Equal(3, mr.RuleId);
        Assert.Null(mr.Assignee);
    }

    [Fact]
    public void A_routed_request_is_assigned_by_the_system()
    {
        var r = Ct();
        var decision = ReadRequestRouter.Route(r, [ChestCt], Readers);
        r.Assign(WorkflowActor.SystemActor, decision.Assignee!, Requests.T0);
        Assert.Equal(ReadRequestStatus.Assigned, r.Status);
        Assert.Equal("bob", r.Assignee);
    }
}
