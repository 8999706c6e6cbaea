using System.Text;
using System.Xml;

namespace RadBridge.Dicom;

/// <summary>Options for <see cref="DicomXml"/>.</summary>
public sealed record DicomXmlOptions : DicomBulkDataOptions
{
    /// <summary>Default options: compact output without namespace, bulk values over 1 KiB still in their file written as file URIs.</summary>
    public static DicomXmlOptions Default { get; } = new();

    /// <summary>Put each element on its own indented line (compact by default).</summary>
    public bool WriteIndented { get; init; }

    /// <summary>
    /// Put the elements in the PS3.19 namespace (<see cref="DicomXml.Namespace"/>). Off by default, as DICOMweb servers
    /// and DCMTK's dcm2xml write them; the reader accepts both.
    /// </summary>
    public bool WriteNamespace { get; init; }
}

/// <summary>
/// The Native DICOM Model (PS3.19 Annex A.1; the application/dicom+xml body of DICOMweb) in both directions, streaming
/// through <see cref="XmlWriter"/> and <see cref="XmlReader"/> without building a DOM.
/// </summary>
/// <remarks>
/// Text is decoded with each data set's Specific Character Set and written in the document's encoding (UTF-8), as
/// Table A.1.5-2 requires; reading encodes it back as <see cref="DicomJson"/> does. See <see cref="DicomXmlWriter"/>
/// and <see cref="DicomXmlReader"/> for the details and <see cref="DicomBulkData"/> for bulk data URIs.
/// </remarks>
public static class DicomXml
{
    /// <summary>The DICOMweb media type of the Native DICOM Model.</summary>
    public const string MediaType = "application/dicom+xml";

    /// <summary>The namespace of the PS3.19 A.1.6 schema.</summary>
    public const string Namespace = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    private const int FlushThreshold = 64 * 1024;

    /// <summary>
    /// Writes a data set as a NativeDicomModel element (the caller writes the XML declaration, if any). Give the
    /// writer <see cref="NewLineHandling.Entitize"/> so carriage returns in text survive parsing, as
    /// <see cref="Serialize"/> does.
    /// </summary>
    public static void Write(XmlWriter writer, DicomDataset dataset, DicomXmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        var w = new DicomXmlWriter(writer, options ?? DicomXmlOptions.Default);
        w.WriteStart();
        w.WriteAttributes(dataset);
        w.WriteEnd();
    }

    /// <summary>The data set as a UTF-8 XML document.</summary>
    public static byte[] SerializeToUtf8Bytes(DicomDataset dataset, DicomXmlOptions? options = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings()))
        {
            writer.WriteStartDocument();
            Write(writer, dataset, options);
            writer.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    /// <summary>The data set as XML text (its declaration says UTF-8, the encoding to store or send it in).</summary>
    public static string Serialize(DicomDataset dataset, DicomXmlOptions? options = null) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(dataset, options));

    /// <summary>
    /// Writes a data set to a stream as a UTF-8 XML document, passing output on as it grows so a large data set is not
    /// held in memory twice; lazy values written inline are read asynchronously.
    /// </summary>
    public static async Task SerializeAsync(Stream stream, DicomDataset dataset, DicomXmlOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        // The XmlWriter fills a memory buffer synchronously; the buffer goes to the stream asynchronously between
        // top-level elements, so no synchronous I/O reaches the caller's stream.
        using var buffer = new MemoryStream();
        using var writer = XmlWriter.Create(buffer, WriterSettings());
        var w = new DicomXmlWriter(writer, options ?? DicomXmlOptions.Default);
        writer.WriteStartDocument();
        w.WriteStart();
        foreach (var element in dataset)
        {
            // Not a conditional expression: its null would become an empty ReadOnlyMemory (through byte[]), not "none".
            ReadOnlyMemory<byte>? preloaded = null;
            if (w.WillLoad(element)) preloaded = await ((DicomValueElement)element).Buffer.GetMemoryAsync(cancellationToken).ConfigureAwait(false);
            w.WriteElement(dataset, element, preloaded);
            writer.Flush();
            if (buffer.Length > FlushThreshold) await Drain(buffer, stream, cancellationToken).ConfigureAwait(false);
        }
        w.WriteEnd();
        writer.WriteEndDocument();
        writer.Flush();
        await Drain(buffer, stream, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task Drain(MemoryStream buffer, Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        buffer.SetLength(0);
    }

    /// <summary>Reads a Native DICOM Model document.</summary>
    /// <exception cref="DicomException">Malformed XML or content that does not fit the model (names the attribute and line).</exception>
    public static DicomDataset Deserialize(string xml, DicomXmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var text = new StringReader(xml);
        using var reader = XmlReader.Create(text, ReaderSettings());
        return Read(reader, options);
    }

    /// <summary>Reads a Native DICOM Model document from a stream (encoding from its declaration, UTF-8 by default).</summary>
    public static DicomDataset Deserialize(Stream stream, DicomXmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = XmlReader.Create(stream, ReaderSettings());
        return Read(reader, options);
    }

    /// <summary>Reads a Native DICOM Model document from a stream, receiving it asynchronously first.</summary>
    public static async Task<DicomDataset> DeserializeAsync(Stream stream, DicomXmlOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        copy.Position = 0;
        return Deserialize(copy, options);
    }

    /// <summary>Reads the NativeDicomModel element at (or after) the reader's position.</summary>
    /// <exception cref="DicomException">Malformed XML or content that does not fit the model (names the attribute and line).</exception>
    public static DicomDataset Read(XmlReader reader, DicomXmlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var r = new DicomXmlReader(options ?? DicomXmlOptions.Default);
        try
        {
            return r.ReadDocument(reader);
        }
        catch (XmlException ex)
        {
            var where = r.Location;
            throw new DicomException(where.Length > 0 ? $"DICOM XML is malformed in {where}: {ex.Message}" : $"DICOM XML is malformed: {ex.Message}", ex);
        }
    }

    private static XmlWriterSettings WriterSettings() => new()
    {
        Encoding = new UTF8Encoding(false),
        // Carriage returns in text (LT, ST, UT) as &#xD; so parsing does not fold CR LF into LF.
        NewLineHandling = NewLineHandling.Entitize,
        CheckCharacters = true,
    };

    private static XmlReaderSettings ReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
    };
}
