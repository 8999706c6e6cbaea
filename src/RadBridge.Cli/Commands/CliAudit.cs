using RadBridge.Archive;
using RadBridge.Archive.Audit;

namespace RadBridge.Cli.Commands;

/// <summary>The audit log the CLI's account changes go to.</summary>
internal static class CliAudit
{
    // MERGE: return the hash-chained audit log over location.AuditDirectory (HashChainedAuditLog, branch `audit`) here.
    // Until then the admin CLI's changes are NOT audited: DiscardingAuditSink drops every event.
    public static IAuditSink Open(ArchiveLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return DiscardingAuditSink.Instance;
    }

    /// <summary>TRANSITIONAL, and not an audit log: drops every event. Exists only until the hash-chained log is merged.</summary>
    private sealed class DiscardingAuditSink : IAuditSink
    {
        public static readonly DiscardingAuditSink Instance = new();

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken ct = default) => ValueTask.CompletedTask;
    }
}
