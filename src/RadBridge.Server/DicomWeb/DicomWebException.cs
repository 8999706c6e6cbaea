namespace RadBridge.Server.DicomWeb;

/// <summary>
/// A DICOMweb request that cannot be answered as asked: the HTTP status (400 bad request, 404 not found or not visible,
/// 406 not acceptable, 403 forbidden…) and a message for the client. <see cref="WadoEndpoints"/> turns it into Problem
/// Details in one place.
/// </summary>
internal sealed class DicomWebException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
