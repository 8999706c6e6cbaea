using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RadBridge.Dicom;

/// <summary>
/// The DICOM JSON Model (PS3.18 Annex F, application/dicom+json) in both directions: data sets to JSON objects (and
/// arrays of them, as QIDO-RS returns), and back.
/// </summary>
/// <remarks>
/// <para>Output is UTF-8 with non-ASCII text left unescaped (王^小東 stays readable; JSON only requires escaping quotes,
/// backslashes and control characters). Text is decoded with each data set's Specific Character Set, which is itself
/// written unchanged: per F.2.2 note 3 it records the source encoding, not the JSON's.</para>
/// <para>Reading encodes text back with the Specific Character Set the JSON declares; text that it cannot hold, or
/// non-ASCII text where none is declared, switches the data set to ISO_IR 192 (UTF-8).</para>
/// <para>See <see cref="DicomJsonWriter"/> and <see cref="DicomJsonReader"/> for how values that do not fit the model
/// are written and what the reader tolerates; see <see cref="DicomBulkData"/> for bulk data URIs.</para>
/// </remarks>
public static class DicomJson
{
    /// <summary>The media type of DICOM JSON.</summary>
    public const string MediaType = "application/dicom+json";

    // Three JSON levels per sequence (attribute object, Value array, item object): room for 64 nested sequences, the
    // reader's own default limit, plus the top level.
    private const int MaxJsonDepth = 3 * 64 + 8;

    // Writing accepts whatever the binary reader can produce (DicomReadOptions.MaxSupportedDepth levels).
    private const int MaxJsonWriteDepth = 3 * DicomReadOptions.MaxSupportedDepth + 8;
    private const int FlushThreshold = 64 * 1024;

    /// <summary>
    /// Writes a data set as a JSON object. The writer's own options decide escaping: give it
    /// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> to keep non-ASCII text readable, as
    /// <see cref="Serialize(DicomDataset, DicomJsonOptions?)"/> does.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        new DicomJsonWriter(writer, options ?? DicomJsonOptions.Default).WriteDataset(dataset);
    }

    /// <summary>Writes data sets as a JSON array of objects (a QIDO-RS response body).</summary>
    public static void WriteArray(Utf8JsonWriter writer, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(datasets);
        var w = new DicomJsonWriter(writer, options ?? DicomJsonOptions.Default);
        writer.WriteStartArray();
        foreach (var dataset in datasets) w.WriteDataset(dataset);
        writer.WriteEndArray();
    }

    /// <summary>The data set as DICOM JSON text.</summary>
    public static string Serialize(DicomDataset dataset, DicomJsonOptions? options = null) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(dataset, options));

    /// <summary>The data sets as a DICOM JSON array.</summary>
    public static string Serialize(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(options)))
        {
            WriteArray(writer, datasets, options);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The data set as UTF-8 DICOM JSON bytes.</summary>
    public static byte[] SerializeToUtf8Bytes(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(options)))
        {
            Write(writer, dataset, options);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes a data set to a stream as UTF-8 DICOM JSON, flushing as it goes so a large data set is not held in memory
    /// twice; lazy values written inline are read asynchronously.
    /// </summary>
    public static async Task SerializeAsync(Stream utf8Json, DicomDataset dataset, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(dataset);
        var writer = new Utf8JsonWriter(utf8Json, WriterOptions(options));
        await using (writer.ConfigureAwait(false))
        {
            await WriteDatasetAsync(writer, new DicomJsonWriter(writer, options ?? DicomJsonOptions.Default), dataset, cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes data sets to a stream as a DICOM JSON array, flushing after each one.</summary>
    public static async Task SerializeAsync(Stream utf8Json, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        await SerializeAsync(utf8Json, ToAsync(datasets), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes data sets to a stream as a DICOM JSON array as they arrive (for example query results streamed from a
    /// database), flushing after each one.
    /// </summary>
    public static async Task SerializeAsync(Stream utf8Json, IAsyncEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(datasets);
        var writer = new Utf8JsonWriter(utf8Json, WriterOptions(options));
        await using (writer.ConfigureAwait(false))
        {
            var w = new DicomJsonWriter(writer, options ?? DicomJsonOptions.Default);
            writer.WriteStartArray();
            await foreach (var dataset in datasets.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await WriteDatasetAsync(writer, w, dataset, cancellationToken).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            writer.WriteEndArray();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteDatasetAsync(Utf8JsonWriter writer, DicomJsonWriter w, DicomDataset dataset, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            // Not a conditional expression: its null would become an empty ReadOnlyMemory (through byte[]), not "none".
            ReadOnlyMemory<byte>? preloaded = null;
            if (w.WillLoad(element)) preloaded = await ((DicomValueElement)element).Buffer.GetMemoryAsync(cancellationToken).ConfigureAwait(false);
            w.WriteElement(dataset, element, preloaded);
            if (writer.BytesPending > FlushThreshold) await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        writer.WriteEndObject();
    }

#pragma warning disable CS1998 // An adapter: the synchronous sequence has nothing to await.
    private static async IAsyncEnumerable<DicomDataset> ToAsync(IEnumerable<DicomDataset> datasets)
#pragma warning restore CS1998
    {
        foreach (var d in datasets) yield return d;
    }

    /// <summary>Reads a DICOM JSON object.</summary>
    /// <exception cref="DicomException">Malformed JSON or a value that does not fit the model (names the attribute).</exception>
    public static DicomDataset Deserialize(string json, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(Encoding.UTF8.GetBytes(json), options);
    }

    /// <summary>Reads a DICOM JSON object from UTF-8 bytes.</summary>
    /// <exception cref="DicomException">Malformed JSON or a value that does not fit the model (names the attribute).</exception>
    public static DicomDataset Deserialize(ReadOnlySpan<byte> utf8Json, DicomJsonOptions? options = null) =>
        Parse(utf8Json, options, array: false)[0];

    /// <summary>Reads a DICOM JSON object from a UTF-8 stream.</summary>
    public static DicomDataset Deserialize(Stream utf8Json, DicomJsonOptions? options = null) =>
        Deserialize(ReadAll(utf8Json).Span, options);

    /// <summary>Reads a DICOM JSON object from a UTF-8 stream asynchronously.</summary>
    public static async Task<DicomDataset> DeserializeAsync(Stream utf8Json, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadAllAsync(utf8Json, cancellationToken).ConfigureAwait(false);
        return Deserialize(bytes.Span, options);
    }

    /// <summary>Reads a DICOM JSON array of objects (a QIDO-RS response body).</summary>
    public static IReadOnlyList<DicomDataset> DeserializeArray(string json, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), options, array: true);
    }

    /// <summary>Reads a DICOM JSON array of objects from UTF-8 bytes.</summary>
    public static IReadOnlyList<DicomDataset> DeserializeArray(ReadOnlySpan<byte> utf8Json, DicomJsonOptions? options = null) =>
        Parse(utf8Json, options, array: true);

    /// <summary>Reads a DICOM JSON array of objects from a UTF-8 stream asynchronously.</summary>
    public static async Task<IReadOnlyList<DicomDataset>> DeserializeArrayAsync(Stream utf8Json, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadAllAsync(utf8Json, cancellationToken).ConfigureAwait(false);
        return Parse(bytes.Span, options, array: true);
    }

    /// <summary>
    /// Reads the DICOM JSON object the reader is positioned on (its StartObject token), for documents that embed data
    /// sets; the reader is left on the object's EndObject token.
    /// </summary>
    public static DicomDataset Read(ref Utf8JsonReader reader, DicomJsonOptions? options = null)
    {
        var r = new DicomJsonReader(options ?? DicomJsonOptions.Default);
        try
        {
            return r.ReadDataset(ref reader, null);
        }
        catch (JsonException ex)
        {
            throw Malformed(r, ex);
        }
    }

    private static List<DicomDataset> Parse(ReadOnlySpan<byte> utf8Json, DicomJsonOptions? options, bool array)
    {
        if (utf8Json.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty) throw new DicomException("DICOM JSON: the document is empty");
        var json = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        var r = new DicomJsonReader(options ?? DicomJsonOptions.Default);
        var result = new List<DicomDataset>();
        try
        {
            json.Read();
            if (array)
            {
                if (json.TokenType != JsonTokenType.StartArray) throw new DicomException($"DICOM JSON: expected an array of data sets, found {json.TokenType}");
                while (json.Read() && json.TokenType != JsonTokenType.EndArray) result.Add(r.ReadDataset(ref json, null));
            }
            else
            {
                if (json.TokenType != JsonTokenType.StartObject) throw new DicomException($"DICOM JSON: expected a data set object, found {json.TokenType}");
                result.Add(r.ReadDataset(ref json, null));
            }
            if (json.Read()) throw new DicomException($"DICOM JSON: unexpected {json.TokenType} after the {(array ? "array" : "data set")} (at byte {json.TokenStartIndex})");
        }
        catch (JsonException ex)
        {
            throw Malformed(r, ex);
        }
        return result;
    }

    private static DicomException Malformed(DicomJsonReader r, JsonException ex)
    {
        var where = r.Location;
        return new DicomException(where.Length > 0 ? $"DICOM JSON is malformed in {where}: {ex.Message}" : $"DICOM JSON is malformed: {ex.Message}", ex);
    }

    private static JsonWriterOptions WriterOptions(DicomJsonOptions? options) => new()
    {
        // Relaxed escaping writes non-ASCII text as UTF-8; it still escapes what JSON requires (quotes, backslash,
        // control characters), so the output stays valid JSON. It is "unsafe" only for embedding in HTML unescaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = options?.WriteIndented ?? false,
        MaxDepth = MaxJsonWriteDepth,
        // DicomJsonWriter only emits well-formed structure (tests parse its output); checking every call costs ~15%.
        SkipValidation = true,
    };

    private static ReadOnlyMemory<byte> ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream is MemoryStream ms && ms.TryGetBuffer(out var segment)) return segment.AsMemory((int)ms.Position);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream is MemoryStream ms && ms.TryGetBuffer(out var segment)) return segment.AsMemory((int)ms.Position);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }
}
