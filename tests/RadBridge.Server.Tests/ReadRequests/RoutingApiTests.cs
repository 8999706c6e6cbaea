using System.Net;

namespace RadBridge.Server.Tests.ReadRequests;

/// <summary>Routing on a running server: rules and duty set through the API decide who gets a new request.</summary>
public sealed class RoutingApiTests(ReadRequestServerFixture fixture) : IClassFixture<ReadRequestServerFixture>
{
    [Fact]
    public async Task A_new_request_goes_to_the_least_loaded_reader_on_duty_of_the_matching_rule_else_to_the_pool()
    {
        using var east = fixture.Client("tech.east");
        using var admin = fixture.Client("admin");
        using var rad = fixture.Client("rad");

        // No rule: the pool.
        var pooled = await Api.CreateAsync(east, fixture.EastStudies[0], "routine");
        Assert.Equal("requested", (await Api.GetAsync(rad, $"api/read-requests/{pooled}")).Json.GetProperty("status").GetString());

        var (rules, ruleList) = await Api.PutAsync(admin, "api/routing-rules", new object[]
        {
            new { order = 1, modality = "MR", readers = new[] { "rad2" } },
            new { order = 2, modality = "ct", readers = new[] { "rad", "rad2" } },
        });
        Assert.True(rules.StatusCode == HttpStatusCode.OK, ruleList.ToString());
        Assert.Equal("CT", ruleList[1].GetProperty("modality").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(rad, "api/readers/rad/availability", new { onDuty = true, subspecialties = new[] { "chest" } })).Response.StatusCode);

        // rad is the only one of the CT rule on duty.
        var first = await Api.CreateAsync(east, fixture.EastStudies[1], "urgent");
        var firstView = (await Api.GetAsync(rad, $"api/read-requests/{first}")).Json;
        Assert.Equal("assigned", firstView.GetProperty("status").GetString());
        Assert.Equal("rad", firstView.GetProperty("assignee").GetString());

        // rad2 comes on duty with no open request: the next one is theirs (rad has one).
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(admin, "api/readers/rad2/availability", new { onDuty = true })).Response.StatusCode);
        var second = await Api.CreateAsync(east, fixture.EastStudies[2]);
        Assert.Equal("rad2", (await Api.GetAsync(rad, $"api/read-requests/{second}")).Json.GetProperty("assignee").GetString());

        var readers = (await Api.GetAsync(admin, "api/readers")).Json.EnumerateArray().ToDictionary(r => r.GetProperty("user").GetString()!);
        Assert.Equal(1, readers["rad"].GetProperty("openAssigned").GetInt32());
        Assert.Equal(1, readers["rad2"].GetProperty("openAssigned").GetInt32());
        Assert.True(readers["rad"].GetProperty("onDuty").GetBoolean());
        Assert.Equal("chest", readers["rad"].GetProperty("subspecialties")[0].GetString());

        // Everyone off duty: the pool again.
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(rad, "api/readers/rad/availability", new { onDuty = false })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(admin, "api/readers/rad2/availability", new { onDuty = false })).Response.StatusCode);
        var third = await Api.CreateAsync(east, fixture.EastStudies[3]);
        Assert.Equal("requested", (await Api.GetAsync(rad, $"api/read-requests/{third}")).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_the_centre_administrator_sets_rules_and_only_for_readers_of_the_centre()
    {
        using var east = fixture.Client("tech.east");
        using var admin = fixture.Client("admin");
        using var rad = fixture.Client("rad");

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PutAsync(east, "api/routing-rules", Array.Empty<object>())).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(east, "api/readers")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PutAsync(rad, "api/routing-rules", Array.Empty<object>())).Response.StatusCode);
        var (unknown, problem) = await Api.PutAsync(admin, "api/routing-rules", new object[] { new { order = 1, readers = new[] { "tech.east" } } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("'tech.east' is not a reader (radiologist or expert) of the centre", problem.GetProperty("detail").GetString());
        var (other, otherProblem) = await Api.PutAsync(rad, "api/readers/rad2/availability", new { onDuty = true });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("only their own availability", otherProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
