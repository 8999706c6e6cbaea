using Microsoft.Extensions.Logging;
using RadBridge.Archive.Audit;

namespace RadBridge.Server.Hosting;

// TRANSITIONAL: replaced by the hash-chained audit log (branch audit) before this session ends.
internal sealed partial class LoggingAuditSink(ILogger<LoggingAuditSink> logger) : IAuditSink
{
    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken ct = default)
    {
        Log(logger, auditEvent.Actor, auditEvent.Action, auditEvent.Outcome, auditEvent.StudyInstanceUid);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "audit: {Actor} {Action} {Outcome} {Study}")]
    private static partial void Log(ILogger logger, string actor, string action, string outcome, string? study);
}
