namespace RadBridge.Reporting;

/// <summary>A report cannot be rendered or encoded (missing font, invalid report content); the message says what to do.</summary>
public class ReportException : DicomException
{
    public ReportException() { }
    public ReportException(string message) : base(message) { }
    public ReportException(string message, Exception inner) : base(message, inner) { }
}
