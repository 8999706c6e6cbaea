namespace RadBridge.Archive.Audit;

/// <summary>The audit log cannot be read or appended to: a malformed record, a lock that is never released, a broken file.</summary>
public class AuditLogException : DicomException
{
    public AuditLogException() { }
    public AuditLogException(string message) : base(message) { }
    public AuditLogException(string message, Exception inner) : base(message, inner) { }
}
