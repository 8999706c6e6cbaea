namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// An image cannot be rendered as its attributes describe it: a LUT that is inconsistent with its descriptor,
/// a window of zero width, a photometric interpretation that rendering does not know. The message names the attribute.
/// </summary>
public class RenderingException : DicomException
{
    public RenderingException() { }
    public RenderingException(string message) : base(message) { }
    public RenderingException(string message, Exception inner) : base(message, inner) { }
}
