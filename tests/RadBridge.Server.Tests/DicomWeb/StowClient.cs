using System.Net;
using System.Numerics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive;
using RadBridge.Archive.Index;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>Builds STOW-RS requests by hand (multipart/related bodies, test instances) and reads their answers.</summary>
internal static class StowClient
{
    public const string Boundary = "RadBridgeTestBoundary7f3a";

    public static Uri Studies { get; } = new("dicomweb/studies", UriKind.Relative);

    public static Uri Study(string uid) => new($"dicomweb/studies/{uid}", UriKind.Relative);

    /// <summary>A multipart/related body, written byte by byte as RFC 2046 lays it out.</summary>
    public static byte[] Body(IEnumerable<(byte[] Bytes, string? ContentType, string? Location)> parts, string boundary = Boundary)
    {
        using var ms = new MemoryStream();
        foreach (var (bytes, contentType, location) in parts)
        {
            var head = new StringBuilder().Append("--").Append(boundary).Append("\r\n");
            if (contentType is not null) head.Append("Content-Type: ").Append(contentType).Append("\r\n");
            if (location is not null) head.Append("Content-Location: ").Append(location).Append("\r\n");
            head.Append("\r\n");
            ms.Write(Encoding.ASCII.GetBytes(head.ToString()));
            ms.Write(bytes);
            ms.Write("\r\n"u8);
        }
        ms.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return ms.ToArray();
    }

    public static byte[] DicomBody(params byte[][] instances) => Body(instances.Select(i => (i, (string?)"application/dicom", (string?)null)));

    public static ByteArrayContent Content(byte[] body, string type = "application/dicom", string boundary = Boundary)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"{type}\"; boundary={boundary}");
        return content;
    }

    public static async Task<StowAnswer> PostAsync(HttpClient http, HttpContent content, Uri? url = null)
    {
        using var response = await http.PostAsync(url ?? Studies, content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var warnings = response.Headers.TryGetValues("Warning", out var w) ? w.ToList() : [];
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var dataset = mediaType == "application/dicom+json" ? DicomJson.Deserialize(bytes) : null;
        return new StowAnswer(response.StatusCode, mediaType, Encoding.UTF8.GetString(bytes), dataset, warnings);
    }

    public static Task<StowAnswer> StoreAsync(HttpClient http, params byte[][] instances) => PostAsync(http, Content(DicomBody(instances)));

    /// <summary>A new UID under 2.25 (UUID-derived, PS3.5 §B.2).</summary>
    public static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A small Secondary Capture instance as PS3.10 bytes (Explicit VR Little Endian).</summary>
    public static byte[] Instance(string study, string series, string sop, string patientId = "STOW-1", byte fill = 7, int size = 8)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, patientId);
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Stow^Test");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)size);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)size);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)8);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)8);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)7);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, Enumerable.Repeat(fill, size * size).ToArray());
        using var ms = new MemoryStream();
        new DicomFile(ds).WriteTo(ms);
        return ms.ToArray();
    }

    /// <summary>
    /// Where a file's data set starts: after preamble, "DICM" and the File Meta group whose length (0002,0000) gives;
    /// 0 for a bare data set. Written here independently of the archive's own code.
    /// </summary>
    public static int DataSetOffset(ReadOnlySpan<byte> file)
    {
        if (file.Length < 144 || !file.Slice(128, 4).SequenceEqual("DICM"u8) || file[132] != 2 || file[133] != 0) return 0;
        return 144 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file[140..]);
    }

    public static byte[] DataSetBytes(byte[] file) => file[DataSetOffset(file)..];

    /// <summary>The stored file of an instance, found through the index as WADO will.</summary>
    public static async Task<(InstanceRecord Row, string Path)?> FindStoredAsync(ArchiveLocation location, string sopInstanceUid)
    {
        await using var db = ArchiveDatabase.Open(location);
        var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.SopInstanceUid == sopInstanceUid);
        return row is null ? null : (row, Path.Combine(location.StorageRoot, row.StoragePath));
    }

    public static async Task<int> CountInstancesAsync(ArchiveLocation location, string sopInstanceUid)
    {
        await using var db = ArchiveDatabase.Open(location);
        return await db.Instances.CountAsync(i => i.SopInstanceUid == sopInstanceUid);
    }

    public static async Task AssertStillServingAsync(ServerProcess server)
    {
        using var http = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode);
    }
}

/// <summary>A STOW-RS answer: status, media type, raw text, the response data set when it is DICOM JSON, Warning headers.</summary>
internal sealed record StowAnswer(HttpStatusCode Status, string? MediaType, string Text, DicomDataset? Dataset, IReadOnlyList<string> Warnings)
{
    public IReadOnlyList<DicomDataset> Referenced => Dataset?.GetSequence(DicomTags.ReferencedSOPSequence)?.Items ?? [];
    public IReadOnlyList<DicomDataset> Failed => Dataset?.GetSequence(DicomTags.FailedSOPSequence)?.Items ?? [];
    public IReadOnlyList<DicomDataset> OtherFailures => Dataset?.GetSequence(DicomTags.OtherFailuresSequence)?.Items ?? [];

    public ushort FailureReasonOf(string sopInstanceUid) =>
        Failed.Single(f => f.GetString(DicomTags.ReferencedSOPInstanceUID) == sopInstanceUid).GetValues<ushort>(DicomTags.FailureReason).Single();

    public IEnumerable<ushort> AllFailureReasons => Failed.Concat(OtherFailures).Select(f => f.GetValues<ushort>(DicomTags.FailureReason).Single());

    public override string ToString() => $"{(int)Status} {MediaType}: {Text} [{string.Join(" | ", Warnings)}]";
}
