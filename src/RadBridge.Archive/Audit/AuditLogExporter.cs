using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace RadBridge.Archive.Audit;

/// <summary>What the export says about the archive itself.</summary>
public sealed record AuditExportOptions
{
    /// <summary>AuditSourceID, and the UserID of the archive as a participant.</summary>
    public string AuditSourceId { get; init; } = "RadBridge";

    /// <summary>AuditEnterpriseSiteID: the site running the archive (omitted when null).</summary>
    public string? EnterpriseSiteId { get; init; }
}

public enum AuditExportFormat
{
    /// <summary>DICOM audit messages (PS3.15 A.5), one <c>AuditMessage</c> per record inside an <c>AuditMessages</c> root.</summary>
    DicomXml,

    /// <summary>The records as stored: one JSON object per line, hashes included.</summary>
    JsonLines,
}

/// <summary>
/// Writes audit records for systems outside the archive: as DICOM audit messages (PS3.15 A.5.1 schema, the message
/// structures of A.5.3 where our events fit them), or as JSON Lines.
/// </summary>
public static class AuditLogExporter
{
    /// <summary>Writes <paramref name="records"/> to <paramref name="output"/> and returns how many were written.</summary>
    public static async Task<long> ExportAsync(IAsyncEnumerable<AuditRecord> records, Stream output, AuditExportFormat format, AuditExportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new AuditExportOptions();
        return format switch
        {
            AuditExportFormat.JsonLines => await WriteJsonLinesAsync(records, output, ct).ConfigureAwait(false),
            AuditExportFormat.DicomXml => await WriteDicomXmlAsync(records, output, options, ct).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static async Task<long> WriteJsonLinesAsync(IAsyncEnumerable<AuditRecord> records, Stream output, CancellationToken ct)
    {
        var count = 0L;
        await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
        {
            await output.WriteAsync(AuditLogLine.Format(record), ct).ConfigureAwait(false);
            count++;
        }
        await output.FlushAsync(ct).ConfigureAwait(false);
        return count;
    }

    private static async Task<long> WriteDicomXmlAsync(IAsyncEnumerable<AuditRecord> records, Stream output, AuditExportOptions options, CancellationToken ct)
    {
        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false };
        var count = 0L;
        var xml = XmlWriter.Create(output, settings);
        await using (xml.ConfigureAwait(false))
        {
            await xml.WriteStartDocumentAsync().ConfigureAwait(false);
            await xml.WriteStartElementAsync(null, "AuditMessages", null).ConfigureAwait(false);
            await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
            {
                // The record's place in our chain, for tracing a message back to the log; comments leave the schema alone.
                await xml.WriteCommentAsync($" radbridge audit record {record.Sequence} sha256 {record.Hash} ").ConfigureAwait(false);
                await ToAuditMessage(record, options).WriteToAsync(xml, ct).ConfigureAwait(false);
                count++;
            }
            await xml.WriteEndElementAsync().ConfigureAwait(false);
            await xml.WriteEndDocumentAsync().ConfigureAwait(false);
            await xml.FlushAsync().ConfigureAwait(false);
        }
        return count;
    }

    /// <summary>
    /// One record as a DICOM <c>AuditMessage</c>: EventIdentification, the requesting user or AE and the archive as
    /// ActiveParticipants, AuditSourceIdentification, and as ParticipantObjectIdentification the study, the query
    /// and the user's organisation where the record names them.
    /// </summary>
    public static XElement ToAuditMessage(AuditRecord record, AuditExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        options ??= new AuditExportOptions();
        var kind = DicomAuditCodes.For(record.Action);

        var eventIdentification = new XElement("EventIdentification",
            new XAttribute("EventActionCode", kind.ActionCode),
            new XAttribute("EventDateTime", record.Time),
            new XAttribute("EventOutcomeIndicator", DicomAuditCodes.OutcomeIndicator(record.Outcome)),
            Coded("EventID", kind.EventId),
            kind.EventType is { } type ? Coded("EventTypeCode", type) : null,
            record.Detail is { } detail ? new XElement("EventOutcomeDescription", XmlSafe(detail)) : null);

        var requestor = new XElement("ActiveParticipant",
            kind.RequestorRole is { } requestorRole ? Coded("RoleIDCode", requestorRole) : null,
            new XAttribute("UserID", XmlSafe(record.Actor)),
            new XAttribute("UserIsRequestor", "true"),
            record.RemoteAddress is { } remote ? new XAttribute("NetworkAccessPointID", XmlSafe(remote)) : null,
            record.RemoteAddress is { } address ? new XAttribute("NetworkAccessPointTypeCode", IsIpAddress(address) ? "2" : "1") : null);

        // The archive's process that served the request: the channel says which (DICOMweb, DIMSE, API, CLI).
        var archive = new XElement("ActiveParticipant",
            kind.ArchiveRole is { } archiveRole ? Coded("RoleIDCode", archiveRole) : null,
            new XAttribute("UserID", XmlSafe($"{options.AuditSourceId}/{record.Channel}")),
            new XAttribute("UserIsRequestor", "false"));

        var source = new XElement("AuditSourceIdentification",
            Coded("AuditSourceTypeCode", DicomAuditCodes.ApplicationServer),
            options.EnterpriseSiteId is { } site ? new XAttribute("AuditEnterpriseSiteID", XmlSafe(site)) : null,
            new XAttribute("AuditSourceID", XmlSafe(options.AuditSourceId)));

        return new XElement("AuditMessage",
            eventIdentification,
            requestor,
            archive,
            source,
            Study(record),
            Query(record),
            Organization(record));
    }

    // Study: type 2 "System Object", role 3 "Report", ID type 110180 (as in every A.5.3 message that names a study).
    private static XElement? Study(AuditRecord record)
    {
        if (record.StudyInstanceUid is not { } study) return null;
        return new XElement("ParticipantObjectIdentification",
            Coded("ParticipantObjectIDTypeCode", DicomAuditCodes.StudyInstanceUid),
            Detail("SeriesInstanceUID", record.SeriesInstanceUid),
            Detail("SOPInstanceUID", record.SopInstanceUid),
            new XAttribute("ParticipantObjectID", XmlSafe(study)),
            new XAttribute("ParticipantObjectTypeCode", "2"),
            new XAttribute("ParticipantObjectTypeCodeRole", "3"),
            record.Action == AuditActions.Delete ? new XAttribute("ParticipantObjectDataLifeCycle", "14") : null);
    }

    // A.5.3.12 Query: the SOP class queried (the study root model), role 24 "Query", the query itself base64-encoded.
    private static XElement? Query(AuditRecord record)
    {
        if (record.Action != AuditActions.Query || record.Detail is not { } query) return null;
        return new XElement("ParticipantObjectIdentification",
            Coded("ParticipantObjectIDTypeCode", DicomAuditCodes.SopClassUid),
            new XElement("ParticipantObjectQuery", Convert.ToBase64String(Encoding.UTF8.GetBytes(query))),
            new XAttribute("ParticipantObjectID", DicomAuditCodes.StudyRootFind),
            new XAttribute("ParticipantObjectTypeCode", "2"),
            new XAttribute("ParticipantObjectTypeCodeRole", "24"));
    }

    // The tenant the actor acted for: type 3 "Organization", role 12 "Security User Group".
    private static XElement? Organization(AuditRecord record)
    {
        if (record.OrganizationId is null && record.OrganizationName is null) return null;
        return new XElement("ParticipantObjectIdentification",
            Coded("ParticipantObjectIDTypeCode", DicomAuditCodes.OrganizationId),
            record.OrganizationName is { } name ? new XElement("ParticipantObjectName", XmlSafe(name)) : null,
            new XAttribute("ParticipantObjectID", record.OrganizationId?.ToString(CultureInfo.InvariantCulture) ?? XmlSafe(record.OrganizationName!)),
            new XAttribute("ParticipantObjectTypeCode", "3"),
            new XAttribute("ParticipantObjectTypeCodeRole", "12"));
    }

    private static XElement? Detail(string type, string? value) => value is null ? null
        : new XElement("ParticipantObjectDetail",
            new XAttribute("type", type),
            new XAttribute("value", Convert.ToBase64String(Encoding.UTF8.GetBytes(value))));

    private static XElement Coded(string name, AuditCode code) => new(name,
        new XAttribute("csd-code", code.Code),
        new XAttribute("codeSystemName", code.System),
        new XAttribute("originalText", code.Meaning));

    private static bool IsIpAddress(string address) => IPAddress.TryParse(address, out _) || IPEndPoint.TryParse(address, out _);

    // Text from requests (a query, a user name) may hold characters XML 1.0 cannot carry at all; they become U+FFFD
    // instead of making the whole export fail.
    private static string XmlSafe(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                safe.Append(text[i]).Append(text[++i]);
            }
            else
            {
                safe.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }
        return safe.ToString();
    }
}
