using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RadBridge.Archive.Audit;

/// <summary>
/// The JSON Lines form of an <see cref="AuditRecord"/>: one object per line with every field present (null when
/// empty), in the order of the hash's canonical form, <c>hash</c> last.
/// </summary>
public static class AuditLogLine
{
    // Readable non-ASCII (patient names, Chinese organisation names) in the file; the hash does not depend on escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] FieldNames =
        ["seq", "time", "actor", "orgId", "org", "action", "channel", "remote", "study", "series", "sop", "outcome", "detail", "prev", "hash"];

    /// <summary>The record as one line of UTF-8 JSON, ending with '\n'.</summary>
    public static byte[] Format(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", record.Sequence);
            json.WriteString("time", record.Time);
            json.WriteString("actor", record.Actor);
            if (record.OrganizationId is { } org) json.WriteNumber("orgId", org);
            else json.WriteNull("orgId");
            json.WriteString("org", record.OrganizationName);
            json.WriteString("action", record.Action);
            json.WriteString("channel", record.Channel);
            json.WriteString("remote", record.RemoteAddress);
            json.WriteString("study", record.StudyInstanceUid);
            json.WriteString("series", record.SeriesInstanceUid);
            json.WriteString("sop", record.SopInstanceUid);
            json.WriteString("outcome", record.Outcome);
            json.WriteString("detail", record.Detail);
            json.WriteString("prev", record.Previous);
            json.WriteString("hash", record.Hash);
            json.WriteEndObject();
        }
        var line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>
    /// Reads one line (without its '\n'). Strict: every field exactly once, no other field, the right JSON types — a
    /// field the hash does not cover could otherwise be slipped in unnoticed.
    /// </summary>
    /// <exception cref="AuditLogException">The line is not a well-formed audit record.</exception>
    public static AuditRecord Parse(ReadOnlySpan<byte> line)
    {
        var values = new string?[FieldNames.Length];
        var seen = new bool[FieldNames.Length];
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new AuditLogException("not a JSON object");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                var index = Array.IndexOf(FieldNames, name);
                if (index < 0) throw new AuditLogException($"unexpected field \"{name}\"");
                if (seen[index]) throw new AuditLogException($"field \"{name}\" appears twice");
                seen[index] = true;
                reader.Read();
                values[index] = reader.TokenType switch
                {
                    JsonTokenType.Null => null,
                    JsonTokenType.String when name is not ("seq" or "orgId") => reader.GetString(),
                    JsonTokenType.Number when name is "seq" or "orgId" => reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => throw new AuditLogException($"field \"{name}\" has the wrong type ({reader.TokenType})"),
                };
            }
            if (reader.Read()) throw new AuditLogException("text after the record");
        }
        catch (JsonException ex)
        {
            throw new AuditLogException($"not valid JSON ({ex.Message})", ex);
        }
        catch (FormatException ex)
        {
            throw new AuditLogException($"a number is out of range ({ex.Message})", ex);
        }
        for (var i = 0; i < FieldNames.Length; i++)
        {
            if (!seen[i]) throw new AuditLogException($"field \"{FieldNames[i]}\" is missing");
        }
        string Required(string field) => values[Array.IndexOf(FieldNames, field)] ?? throw new AuditLogException($"field \"{field}\" is null");
        string? Optional(string field) => values[Array.IndexOf(FieldNames, field)];
        var orgId = Optional("orgId");
        int? organizationId = null;
        if (orgId is not null)
        {
            organizationId = int.TryParse(orgId, System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : throw new AuditLogException("field \"orgId\" is out of range");
        }
        var time = Required("time");
        if (!AuditRecord.TryParseTime(time, out _)) throw new AuditLogException($"field \"time\" is not a UTC ISO 8601 time: \"{time}\"");
        return new AuditRecord
        {
            Sequence = long.Parse(Required("seq"), System.Globalization.CultureInfo.InvariantCulture),
            Time = time,
            Actor = Required("actor"),
            OrganizationId = organizationId,
            OrganizationName = Optional("org"),
            Action = Required("action"),
            Channel = Required("channel"),
            RemoteAddress = Optional("remote"),
            StudyInstanceUid = Optional("study"),
            SeriesInstanceUid = Optional("series"),
            SopInstanceUid = Optional("sop"),
            Outcome = Required("outcome"),
            Detail = Optional("detail"),
            Previous = Required("prev"),
            Hash = Required("hash"),
        };
    }
}
