namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// A JPEG codestream the managed coders cannot accept. Internal: <see cref="JpegCodec"/> turns it into a
/// <see cref="PixelCodecException"/> that names the codec and the frame.
/// </summary>
internal sealed class JpegFormatException : Exception
{
    public JpegFormatException() { }
    public JpegFormatException(string message) : base(message) { }
    public JpegFormatException(string message, Exception inner) : base(message, inner) { }
}
