namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>A frame could not be decoded or encoded: names the codec, the frame (0-based) and the problem.</summary>
public class PixelCodecException : DicomException
{
    public PixelCodecException() { }
    public PixelCodecException(string message) : base(message) { }
    public PixelCodecException(string message, Exception inner) : base(message, inner) { }

    public PixelCodecException(string codec, int frame, string problem)
        : base($"{codec}: frame {frame}: {problem}")
    {
        Codec = codec;
        Frame = frame;
    }

    public string? Codec { get; }
    public int Frame { get; } = -1;
}

/// <summary>
/// A transfer syntax's codec needs a native library that is not installed; the message names the Debian package.
/// Only that codec's transfer syntaxes are affected.
/// </summary>
public class CodecUnavailableException : DicomException
{
    public CodecUnavailableException() { }
    public CodecUnavailableException(string message) : base(message) { }
    public CodecUnavailableException(string message, Exception inner) : base(message, inner) { }

    public CodecUnavailableException(string codec, string library, string debianPackage)
        : base($"{codec} needs the native library {library}, which is not installed (apt-get install {debianPackage})")
    {
        Library = library;
        DebianPackage = debianPackage;
    }

    public string? Library { get; }
    public string? DebianPackage { get; }
}

/// <summary>No codec is registered for a transfer syntax.</summary>
public class UnsupportedTransferSyntaxException : DicomException
{
    public UnsupportedTransferSyntaxException() { }
    public UnsupportedTransferSyntaxException(string message) : base(message) { }
    public UnsupportedTransferSyntaxException(string message, Exception inner) : base(message, inner) { }
}
