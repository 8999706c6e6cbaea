using System.Text;
using System.Xml.Linq;
using RadBridge.Archive.Audit;

namespace RadBridge.Archive.Tests.Audit;

/// <summary>The DICOM export follows the PS3.15 A.5.1 schema's structure and A.5.3's codes.</summary>
public sealed class AuditLogExporterTests
{
    private static AuditRecord Record(AuditEvent e) => AuditRecord.Create(1, AuditRecord.GenesisHash, e);

    private static XAttribute Attr(XElement e, string name) => e.Attribute(name) ?? throw new Xunit.Sdk.XunitException($"{e.Name} has no {name}");

    [Fact]
    public async Task The_export_is_well_formed_with_one_schema_shaped_message_per_record()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            foreach (var action in new[] { AuditActions.Store, AuditActions.Query, AuditActions.Retrieve, AuditActions.Delete, AuditActions.Share, AuditActions.Login, AuditActions.Administer })
            {
                await log.RecordAsync(AuditTestLog.Event(1, action: action));
            }
            await log.RecordAsync(AuditTestLog.Event(2) with { Outcome = "failure", Detail = "forbidden: study of another organisation \u0001" });
        }
        using var output = new MemoryStream();
        var count = await AuditLogExporter.ExportAsync(new AuditLogReader(dir.Directory).ReadAllAsync(), output, AuditExportFormat.DicomXml, new AuditExportOptions { EnterpriseSiteId = "Centre" });
        Assert.Equal(8, count);

        var doc = XDocument.Parse(Encoding.UTF8.GetString(output.ToArray()));
        var messages = doc.Root!.Elements("AuditMessage").ToList();
        Assert.Equal("AuditMessages", doc.Root.Name.LocalName);
        Assert.Equal(8, messages.Count);
        foreach (var message in messages)
        {
            // A.5.1: EventIdentification, ActiveParticipant+, AuditSourceIdentification, ParticipantObjectIdentification*.
            var names = message.Elements().Select(e => e.Name.LocalName).ToList();
            Assert.Equal("EventIdentification", names[0]);
            var firstSource = names.IndexOf("AuditSourceIdentification");
            Assert.True(firstSource >= 2 && names.Skip(1).Take(firstSource - 1).All(n => n == "ActiveParticipant"), string.Join(",", names));
            Assert.All(names.Skip(firstSource + 1), n => Assert.Equal("ParticipantObjectIdentification", n));

            var ev = message.Element("EventIdentification")!;
            Assert.Matches("^[CRUDE]$", Attr(ev, "EventActionCode").Value);
            Assert.Matches("^(0|4|8|12)$", Attr(ev, "EventOutcomeIndicator").Value);
            Assert.Equal("2026-11-23T10:00:01.0000000Z", Attr(ev, "EventDateTime").Value.Replace("02.", "01.", StringComparison.Ordinal));
            var id = ev.Element("EventID")!;
            Assert.Equal("DCM", Attr(id, "codeSystemName").Value);
            Assert.Matches("^1101[01][0-9]$", Attr(id, "csd-code").Value);
            Assert.NotEmpty(Attr(id, "originalText").Value);

            foreach (var participant in message.Elements("ActiveParticipant"))
            {
                Assert.NotEmpty(Attr(participant, "UserID").Value);
                Assert.Matches("^(true|false)$", Attr(participant, "UserIsRequestor").Value);
            }
            var requestor = message.Elements("ActiveParticipant").Single(p => p.Attribute("UserIsRequestor")!.Value == "true");
            Assert.Equal(("alice", "10.0.0.7", "2"), (Attr(requestor, "UserID").Value, Attr(requestor, "NetworkAccessPointID").Value, Attr(requestor, "NetworkAccessPointTypeCode").Value));

            var source = message.Element("AuditSourceIdentification")!;
            Assert.Equal(("RadBridge", "Centre"), (Attr(source, "AuditSourceID").Value, Attr(source, "AuditEnterpriseSiteID").Value));

            var study = message.Elements("ParticipantObjectIdentification").Single(p => p.Element("ParticipantObjectIDTypeCode")!.Attribute("csd-code")!.Value == "110180");
            Assert.Equal(("2", "3"), (Attr(study, "ParticipantObjectTypeCode").Value, Attr(study, "ParticipantObjectTypeCodeRole").Value));
            Assert.StartsWith("1.2.3.", Attr(study, "ParticipantObjectID").Value, StringComparison.Ordinal);
            // Element order inside a participant object: the ID type code first, details after it.
            Assert.Equal("ParticipantObjectIDTypeCode", study.Elements().First().Name.LocalName);
        }

        string Code(int i) => messages[i].Element("EventIdentification")!.Element("EventID")!.Attribute("csd-code")!.Value;
        string Action(int i) => messages[i].Element("EventIdentification")!.Attribute("EventActionCode")!.Value;
        Assert.Equal([("110104", "C"), ("110112", "E"), ("110104", "R"), ("110105", "D"), ("110103", "U"), ("110114", "E"), ("110113", "E")],
            Enumerable.Range(0, 7).Select(i => (Code(i), Action(i))));
        Assert.Equal("110122", messages[5].Element("EventIdentification")!.Element("EventTypeCode")!.Attribute("csd-code")!.Value);

        var failed = messages[7].Element("EventIdentification")!;
        Assert.Equal("4", failed.Attribute("EventOutcomeIndicator")!.Value);
        Assert.Equal("forbidden: study of another organisation \uFFFD", failed.Element("EventOutcomeDescription")!.Value);
    }

    [Fact]
    public void A_query_names_the_information_model_and_carries_the_query_base64()
    {
        var message = AuditLogExporter.ToAuditMessage(Record(AuditTestLog.Event(1, action: AuditActions.Query) with { StudyInstanceUid = null, Detail = "PatientName=*张*" }));
        var query = Assert.Single(message.Elements("ParticipantObjectIdentification"), p => p.Element("ParticipantObjectIDTypeCode")!.Attribute("csd-code")!.Value == "110181");
        Assert.Equal(("1.2.840.10008.5.1.4.1.2.2.1", "2", "24"), (Attr(query, "ParticipantObjectID").Value, Attr(query, "ParticipantObjectTypeCode").Value, Attr(query, "ParticipantObjectTypeCodeRole").Value));
        Assert.Equal("PatientName=*张*", Encoding.UTF8.GetString(Convert.FromBase64String(query.Element("ParticipantObjectQuery")!.Value)));
        var requestorRole = message.Elements("ActiveParticipant").First().Element("RoleIDCode")!;
        Assert.Equal("110153", requestorRole.Attribute("csd-code")!.Value);
    }

    [Fact]
    public void The_organisation_and_the_series_and_instance_are_named()
    {
        var message = AuditLogExporter.ToAuditMessage(Record(AuditTestLog.Event(4, org: 2)));
        var org = Assert.Single(message.Elements("ParticipantObjectIdentification"), p => Attr(p, "ParticipantObjectTypeCode").Value == "3");
        Assert.Equal(("2", "Clinic 2", "12"), (Attr(org, "ParticipantObjectID").Value, org.Element("ParticipantObjectName")!.Value, Attr(org, "ParticipantObjectTypeCodeRole").Value));
        var details = message.Descendants("ParticipantObjectDetail").ToDictionary(d => d.Attribute("type")!.Value, d => Encoding.UTF8.GetString(Convert.FromBase64String(d.Attribute("value")!.Value)));
        Assert.Equal("1.2.3.4.1", details["SeriesInstanceUID"]);
        Assert.Equal("1.2.3.4.1.1", details["SOPInstanceUID"]);
    }

    [Fact]
    public async Task The_jsonl_export_is_the_stored_lines()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(5);
        using var output = new MemoryStream();
        var count = await AuditLogExporter.ExportAsync(new AuditLogReader(dir.Directory).ReadAllAsync(), output, AuditExportFormat.JsonLines);
        Assert.Equal(5, count);
        Assert.Equal(File.ReadAllBytes(dir.OnlyFile), output.ToArray());
    }
}
