namespace RadBridge.Workflow.ReadRequests;

/// <summary>Why a workflow operation was refused; the server maps it to an HTTP status (409, 403, 400, 404).</summary>
public enum WorkflowRefusal
{
    /// <summary>The action is not legal in the request's current state.</summary>
    IllegalTransition,

    /// <summary>The caller's role or relation to the request does not allow the action.</summary>
    NotPermitted,

    /// <summary>The input is missing or wrong (empty reason, unknown reader…).</summary>
    InvalidInput,

    /// <summary>Something named does not exist or is not visible.</summary>
    NotFound,

    /// <summary>Someone else changed the request at the same time.</summary>
    Conflict,
}

/// <summary>A workflow operation refused, with a message for the person who tried it.</summary>
public sealed class WorkflowException : Exception
{
    public WorkflowException(WorkflowRefusal refusal, string message) : base(message) => Refusal = refusal;

    public WorkflowException(WorkflowRefusal refusal, string message, Exception inner) : base(message, inner) => Refusal = refusal;

    public WorkflowException()
    {
    }

    public WorkflowException(string message) : base(message)
    {
    }

    public WorkflowException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public WorkflowRefusal Refusal { get; } = WorkflowRefusal.InvalidInput;
}
