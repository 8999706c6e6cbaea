namespace RadBridge.Server.DicomWeb;

/// <summary>
/// A STOW-RS request the server cannot take as a whole (wrong media type, no boundary, broken multipart body, no
/// parts): answered with <see cref="StatusCode"/> and the message as Problem Details, never with an exception page.
/// </summary>
public sealed class StowRequestException : DicomException
{
    public StowRequestException() { }
    public StowRequestException(string message) : base(message) { }
    public StowRequestException(string message, Exception inner) : base(message, inner) { }

    public StowRequestException(int statusCode, string message, Exception? inner = null) : base(message, inner!)
    {
        StatusCode = statusCode;
    }

    /// <summary>400 (bad syntax) unless said otherwise, e.g. 415 for a media type the server does not take.</summary>
    public int StatusCode { get; } = Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest;
}
