using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;
using RadBridge.Server.ReadRequests;

namespace RadBridge.Server.Api;

/// <summary>
/// The read request endpoints (<c>/api/read-requests</c>, the issue-7 contract): create, list, read, claim, release,
/// assign, return, resubmit, cancel, report autosave, preliminary, sign with re-authentication, amend, acknowledge a
/// critical finding; and the caller's notifications. Every action is audited by <see cref="ReadRequestService"/>.
/// </summary>
public static class ReadRequestApi
{
    public static IEndpointRouteBuilder MapReadRequests(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/read-requests").RequireAuthorization().AddEndpointFilter(WorkflowProblems.Filter).WithTags("Read requests");

        group.MapPost("/", async Task<IResult> (CreateReadRequestBody body, HttpContext http, ReadRequestService service, CancellationToken ct) =>
            {
                if (http.GetArchiveCaller("API") is not { } caller) return Results.Forbid();
                var view = await service.CreateAsync(caller, body, ct).ConfigureAwait(false);
                return Results.Created($"/api/read-requests/{view.Id}", view);
            })
            .WithName("CreateReadRequest")
            .WithSummary("Ask the centre to read a study of the caller's clinic (routed, and shared with the centre)")
            .Produces<ReadRequestView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async Task<IResult> (HttpContext http, ReadRequestService service, CancellationToken ct,
                [FromQuery] string? status, [FromQuery] string? priority, [FromQuery] string? modality, [FromQuery] int? clinic,
                [FromQuery] bool? mine, [FromQuery] string? sort, [FromQuery] int? limit, [FromQuery] int? offset) =>
            {
                if (http.GetArchiveCaller("API") is not { } caller) return Results.Forbid();
                var query = new ReadRequestQuery(status is null ? null : [status], priority is null ? null : [priority], modality, clinic,
                    mine ?? false, sort, limit ?? ReadRequestQuery.DefaultLimit, offset ?? 0);
                return Results.Ok(await service.ListAsync(caller, query, ct).ConfigureAwait(false));
            })
            .WithName("ListReadRequests")
            .WithSummary("The worklist: requests the caller may see (status=a,b priority= modality= clinic= mine=true sort=sla|priority|created limit= offset=)")
            .Produces<ReadRequestList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id}", async Task<IResult> (string id, HttpContext http, ReadRequestService service, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await service.GetAsync(caller, id, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("GetReadRequest")
            .WithSummary("One read request with its status and SLA")
            .Produces<ReadRequestView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        Action(group, "claim", "ClaimReadRequest", "Take a request from the centre's pool (centre readers)", (s, c, id, ct) => s.ClaimAsync(c, id, ct));
        Action(group, "release", "ReleaseReadRequest", "Give a request back to the pool (its reader or the centre's administrator)", (s, c, id, ct) => s.ReleaseAsync(c, id, ct));
        Action(group, "resubmit", "ResubmitReadRequest", "Send a returned request again (the clinic); its SLA restarts", (s, c, id, ct) => s.ResubmitAsync(c, id, ct));
        Action(group, "preliminary", "IssuePreliminaryReport", "Issue the current draft as a preliminary report (its reader)", (s, c, id, ct) => s.SavePreliminaryAsync(c, id, ct));
        Action(group, "acknowledge-critical", "AcknowledgeCriticalFinding", "Acknowledge the critical finding of the signed report (the clinic)",
            (s, c, id, ct) => s.AcknowledgeCriticalAsync(c, id, ct));
        ReasonAction(group, "return", "ReturnReadRequest", "Send a request back to the clinic with a reason (centre readers, administrator)", (s, c, id, r, ct) => s.ReturnAsync(c, id, r, ct));
        ReasonAction(group, "cancel", "CancelReadRequest", "Withdraw a request with a reason (the clinic, the centre's administrator)", (s, c, id, r, ct) => s.CancelAsync(c, id, r, ct));
        ReasonAction(group, "amend", "AmendReport", "Start a new version of a signed report with a reason (centre readers)", (s, c, id, r, ct) => s.AmendAsync(c, id, r, ct));

        group.MapPost("/{id}/assign", async Task<IResult> (string id, AssignBody body, HttpContext http, ReadRequestService service, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await service.AssignAsync(caller, id, body.User, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("AssignReadRequest")
            .WithSummary("Assign or reassign a request to a reader of the centre (the centre's administrator)")
            .Produces<ReadRequestView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id}/report", async Task<IResult> (string id, HttpContext http, ReadRequestService service, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await service.GetReportAsync(caller, id, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("GetReport")
            .WithSummary("The current report version (the clinic sees preliminary and final versions only)")
            .Produces<ReportView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{id}/report", async Task<IResult> (string id, ReportBody body, HttpContext http, ReadRequestService service, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await service.SaveReportAsync(caller, id, body, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName("SaveReport")
            .WithSummary("Autosave the draft report (its reader); the first save starts the reading")
            .Produces<ReportView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/sign", SignAsync)
            .WithName("SignReport")
            .WithSummary("Sign the report after checking the signer's password again, and the one-time code when one is sent (a failure counts towards the lockout); its PDF, Basic Text SR and Encapsulated PDF are then stored in the study and the request is delivered")
            .Produces<ReadRequestView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id}/report.pdf", ReportPdfAsync)
            .WithName("GetReportPdf")
            .WithSummary("The signed report as PDF, as stored in the study (its Encapsulated PDF)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/notifications", async Task<IResult> (HttpContext http, ReadRequestService service, CancellationToken ct, [FromQuery] int? limit) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await service.NotificationsAsync(caller, limit ?? 100, ct).ConfigureAwait(false)) : Results.Forbid())
            .RequireAuthorization()
            .WithTags("Read requests")
            .WithName("ListNotifications")
            .WithSummary("SLA warnings and escalations and critical findings for the caller's organisation and role, newest first")
            .Produces<IReadOnlyList<NotificationView>>();
        return app;
    }

    private static async Task<IResult> SignAsync(string id, SignBody body, HttpContext http, ReadRequestService service, ReportDelivery delivery,
        PasswordLogin login, CancellationToken ct)
    {
        if (http.GetArchiveCaller("API") is not { } caller) return Results.Forbid();
        // Not visible: 404 before anything touches the password (nor its lockout count).
        await service.RequireVisibleAsync(caller, id, ct).ConfigureAwait(false);
        // The password always; the one-time code when the signer sends one (a signer with a second factor already passed
        // it when the session was opened, so the web app's sign dialog asks the password only).
        const string via = "re-authentication to sign a report";
        var check = string.IsNullOrEmpty(body.Code)
            ? await login.ReauthenticateAsync(caller.Name, body.Password, via, http).ConfigureAwait(false)
            : await login.CheckAsync(caller.Name, body.Password, via, http, body.Code).ConfigureAwait(false);
        if (check.User is null)
        {
            var why = check.Failure switch
            {
                PasswordLoginResult.Locked => "the account is locked after too many failed attempts; the report was not signed",
                PasswordLoginResult.CodeRequired => "this account has a second factor: send the one-time code as 'code' with the password; the report was not signed",
                PasswordLoginResult.InvalidCode => "the one-time code is wrong; the report was not signed",
                _ => "the password is wrong; the report was not signed",
            };
            await service.AuditRefusedSignatureAsync(caller, id, why, ct).ConfigureAwait(false);
            return Results.Problem(detail: why, statusCode: StatusCodes.Status403Forbidden, title: "Re-authentication failed");
        }
        await service.SignAsync(caller, id, ct).ConfigureAwait(false);
        // Delivered once the report documents are in the study; if storing them fails the request stays signed (the
        // monitor retries) and the answer says so by its status.
        await delivery.DeliverAsync(id, ct).ConfigureAwait(false);
        return Results.Ok(await service.GetAsync(caller, id, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> ReportPdfAsync(string id, HttpContext http, ReadRequestService service, InstanceFileStore store, CancellationToken ct)
    {
        if (http.GetArchiveCaller("API") is not { } caller) return Results.Forbid();
        var pdf = await service.ReportPdfAsync(caller, id, store, ct).ConfigureAwait(false);
        return Results.File(pdf, "application/pdf", $"report-{id}.pdf");
    }

    private static void Action(RouteGroupBuilder group, string verb, string name, string summary,
        Func<ReadRequestService, ArchiveCaller, string, CancellationToken, Task<ReadRequestView>> act) =>
        group.MapPost($"/{{id}}/{verb}", async Task<IResult> (string id, HttpContext http, ReadRequestService service, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await act(service, caller, id, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName(name)
            .WithSummary(summary)
            .Produces<ReadRequestView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static void ReasonAction(RouteGroupBuilder group, string verb, string name, string summary,
        Func<ReadRequestService, ArchiveCaller, string, string?, CancellationToken, Task<ReadRequestView>> act) =>
        group.MapPost($"/{{id}}/{verb}", async Task<IResult> (string id, ReasonBody body, HttpContext http, ReadRequestService service, CancellationToken ct) =>
                http.GetArchiveCaller("API") is { } caller ? Results.Ok(await act(service, caller, id, body.Reason, ct).ConfigureAwait(false)) : Results.Forbid())
            .WithName(name)
            .WithSummary(summary)
            .Produces<ReadRequestView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
