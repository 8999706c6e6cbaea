using Microsoft.AspNetCore.Http;
using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Server.Api;

/// <summary>
/// Workflow refusals as Problem Details, in one place: an illegal transition or a concurrent change is 409, a role or
/// assignment that does not allow the action 403, something not visible 404, bad input 400; the detail is the message.
/// </summary>
internal static class WorkflowProblems
{
    public static IResult From(WorkflowException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var (status, title) = ex.Refusal switch
        {
            WorkflowRefusal.IllegalTransition => (StatusCodes.Status409Conflict, "Illegal transition"),
            WorkflowRefusal.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            WorkflowRefusal.NotPermitted => (StatusCodes.Status403Forbidden, "Not permitted"),
            WorkflowRefusal.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            _ => (StatusCodes.Status400BadRequest, "Invalid request"),
        };
        return Results.Problem(detail: ex.Message, statusCode: status, title: title);
    }

    /// <summary>An endpoint filter that turns a <see cref="WorkflowException"/> thrown by the handler into its problem.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (WorkflowException ex)
        {
            return From(ex);
        }
    }
}
