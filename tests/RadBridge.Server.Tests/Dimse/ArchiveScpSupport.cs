using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Server.Tests.Dimse;

/// <summary>What the archive SCP tests share: registering AEs with their conditions, running DCMTK against the server, reading what it stored.</summary>
internal static class ArchiveScpSupport
{
    /// <summary>Registers an AE with every optional condition (the admin CLI's fields), straight into the index.</summary>
    public static async Task RegisterAeAsync(this ServerProcess server, int organizationId, string aeTitle, string? host = null, int? port = null,
        string? requiredUser = null, string? clientCertificateSha256 = null)
    {
        await using var db = ArchiveDatabase.Open(server.Location);
        db.RegisteredAes.Add(new RegisteredAe
        {
            OrganizationId = organizationId,
            AeTitle = aeTitle,
            Host = host,
            Port = port,
            RequiredUser = requiredUser,
            ClientCertificateSha256 = clientCertificateSha256,
        });
        await db.SaveChangesAsync();
    }

    public static string Port(this ServerProcess server) => server.DicomPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>echoscu from <paramref name="callingAe"/>; extra arguments go before the host.</summary>
    public static Task<Dcmtk.Result> EchoAsync(this ServerProcess server, string callingAe, string? calledAe = null, params string[] extra) =>
        Dcmtk.RunAsync("echoscu", [.. extra, "-aet", callingAe, "-aec", calledAe ?? server.AeTitle, "127.0.0.1", server.Port()]);

    /// <summary>storescu -v of <paramref name="files"/> from <paramref name="callingAe"/>; extra arguments go before the host.</summary>
    public static Task<Dcmtk.Result> StoreAsync(this ServerProcess server, string callingAe, IEnumerable<string> files, params string[] extra) =>
        Dcmtk.RunAsync("storescu", [.. extra, "-v", "-aet", callingAe, "-aec", server.AeTitle, "127.0.0.1", server.Port(), .. files]);

    /// <summary>The stored file of an instance and the organisation owning its study, or null when the index has no row.</summary>
    public static async Task<(string Path, int OrganizationId)?> FindStoredAsync(this ServerProcess server, string sopInstanceUid)
    {
        await using var db = ArchiveDatabase.Open(server.Location);
        var row = await db.Instances.Where(i => i.SopInstanceUid == sopInstanceUid)
            .Join(db.Studies, i => i.StudyId, s => s.Id, (i, s) => new { i.StoragePath, s.OrganizationId })
            .FirstOrDefaultAsync();
        return row is null ? null : (new InstanceFileStore(server.Location).FullPath(row.StoragePath), row.OrganizationId);
    }

    /// <summary>The data set bytes of a Part 10 file (or of a file without File Meta).</summary>
    public static ReadOnlyMemory<byte> DataSetBytes(string path)
    {
        var source = StoreSource.Open(path);
        return File.ReadAllBytes(path).AsMemory((int)Math.Max(source.DataSetOffset, 0));
    }

    /// <summary>
    /// A storescu configuration proposing exactly the file's SOP class in exactly its transfer syntax, so DCMTK sends it
    /// without conversion (its -x options do not cover every syntax).
    /// </summary>
    public static string StorescuConfig(StoreSource sample, string directory)
    {
        var path = Path.Combine(directory, "storescu.cfg");
        File.WriteAllText(path, $"""
            [[TransferSyntaxes]]
            [TS]
            TransferSyntax1 = {sample.TransferSyntax.Uid}
            [[PresentationContexts]]
            [PC]
            PresentationContext1 = {sample.SopClassUid}\TS
            [[Profiles]]
            [Exact]
            PresentationContexts = PC
            """);
        return path;
    }

    /// <summary>
    /// Every storable sample: MANIFEST.tsv without the deliberately broken ("Odd:") files, the DICOMDIR and data set
    /// fragments without SOP Class/Instance UID, and the transfer syntaxes DCMTK 3.6.7 does not know (it cannot send them).
    /// </summary>
    public static List<StoreSource> StorableSamples()
    {
        string[] unknownToDcmtk = ["1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.8.1",
            "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112"];
        var samples = new List<StoreSource>();
        foreach (var fields in File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1).Select(l => l.Split('\t')))
        {
            if (fields.Length < 6 || fields[5].StartsWith("Odd:", StringComparison.Ordinal) || fields[0] == "DICOMDIR.dcm") continue;
            StoreSource source;
            try
            {
                source = StoreSource.Open(TestPaths.Sample(fields[0]));
            }
            catch (DicomException)
            {
                continue; // no SOP Class/Instance UID: a data set fragment, not an instance
            }
            if (source.SopInstanceUid.Length == 0 || !StorageSopClasses.Contains(source.SopClassUid) || unknownToDcmtk.Contains(source.TransferSyntax.Uid)) continue;
            samples.Add(source);
        }
        return samples;
    }
}
