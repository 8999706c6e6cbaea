namespace RadBridge.Archive.Tenancy;

/// <summary>An account change that cannot be made, with a message naming the problem ("organisation 'X' does not exist").</summary>
public sealed class ArchiveAccountException : DicomException
{
    public ArchiveAccountException() { }
    public ArchiveAccountException(string message) : base(message) { }
    public ArchiveAccountException(string message, Exception inner) : base(message, inner) { }
}
