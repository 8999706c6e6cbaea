using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RadBridge.Server.Auth;
using RadBridge.Server.ReadRequests;

namespace RadBridge.Server.Api;

/// <summary>The centre's reading setup: readers on duty (<c>/api/readers</c>) and routing rules (<c>/api/routing-rules</c>).</summary>
public static class ReadingSetupApi
{
    public static IEndpointRouteBuilder MapReadingSetup(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api").RequireAuthorization().AddEndpointFilter(WorkflowProblems.Filter).WithTags("Reading setup");

        group.MapGet("/readers", async Task<IResult> (HttpContext http, ReadingSetup setup, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await setup.ReadersAsync(caller, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("ListReaders")
            .WithSummary("The centre's readers: on duty or not, subspecialties, open assigned requests (centre users)")
            .Produces<IReadOnlyList<ReaderView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPut("/readers/{user}/availability", async Task<IResult> (string user, AvailabilityBody body, HttpContext http, ReadingSetup setup, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await setup.SetAvailabilityAsync(caller, user, body, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("SetReaderAvailability")
            .WithSummary("Go on or off duty (a reader for themself, the centre's administrator for anyone); only readers on duty are auto-assigned")
            .Produces<ReaderView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/routing-rules", async Task<IResult> (HttpContext http, ReadingSetup setup, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await setup.RulesAsync(caller, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("ListRoutingRules")
            .WithSummary("The centre's routing rules in the order they are tried (centre users)")
            .Produces<IReadOnlyList<RoutingRuleView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPut("/routing-rules", async Task<IResult> (IReadOnlyList<RoutingRuleView> rules, HttpContext http, ReadingSetup setup, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await setup.ReplaceRulesAsync(caller, rules, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("ReplaceRoutingRules")
            .WithSummary("Replace the centre's routing rules (its administrator): the first rule matching modality, body part and subspecialty assigns a new request to the least loaded of its readers on duty")
            .Produces<IReadOnlyList<RoutingRuleView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
