using RadBridge.Archive.Audit;

namespace RadBridge.Tests.Shared;

/// <summary>An audit sink that keeps the events in memory, for tests that assert what was audited.</summary>
public sealed class RecordingAudit : IAuditSink
{
    private readonly List<AuditEvent> _events = [];

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken ct = default)
    {
        lock (_events) _events.Add(auditEvent);
        return ValueTask.CompletedTask;
    }
}
