using RadBridge.Archive.Ingest;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>
/// A running server with two organisations (A and B), an admin and a radiologist in each, and a seeder writing into
/// its archive: what the WADO tests share.
/// </summary>
internal sealed class WadoServer : IAsyncDisposable
{
    public const string Password = "correct-horse-battery";

    private WadoServer(ServerProcess server, ArchiveSeeder seeder, int orgA, int orgB)
    {
        Server = server;
        Seeder = seeder;
        OrgA = orgA;
        OrgB = orgB;
    }

    public ServerProcess Server { get; }
    public ArchiveSeeder Seeder { get; }
    public int OrgA { get; }
    public int OrgB { get; }

    public static async Task<WadoServer> StartAsync(DuplicatePolicy duplicates = DuplicatePolicy.Reject)
    {
        var server = await ServerProcess.StartAsync();
        var a = await server.AddOrganizationAsync("Clinic A");
        var b = await server.AddOrganizationAsync("Centre B", centre: true);
        await server.AddUserAsync(a, ArchiveRoles.Admin, "a-admin", Password);
        await server.AddUserAsync(a, ArchiveRoles.Radiologist, "a-rad", Password);
        await server.AddUserAsync(b, ArchiveRoles.Admin, "b-admin", Password);
        await server.AddUserAsync(b, ArchiveRoles.Radiologist, "b-rad", Password);
        var seeder = await ArchiveSeeder.OpenAsync(server.Location, duplicates);
        return new WadoServer(server, seeder, a, b);
    }

    public HttpClient Client(string user) => Server.Client(user, Password);

    /// <summary>Stores a sample into organisation A (or the one given) and returns its attributes; the store must succeed.</summary>
    public async Task<InstanceAttributes> StoreAsync(string sample, int? organization = null)
    {
        var result = await Seeder.StoreAsync(TestPaths.Sample(sample), organization ?? OrgA);
        Assert.True(result.Succeeded, $"{sample}: {result.Outcome} {result.Problem}");
        return result.Attributes!;
    }

    public static string InstanceUrl(InstanceAttributes a) =>
        $"dicomweb/studies/{a.StudyInstanceUid}/series/{a.SeriesInstanceUid}/instances/{a.SopInstanceUid}";

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await Seeder.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>Byte-level facts about files and images the tests check responses against (independent of the server's code).</summary>
internal static class Bytes
{
    /// <summary>Where a Part 10 file's data set starts: after preamble, "DICM" and the explicit VR LE group 0002; 0 for a raw data set.</summary>
    public static long DataSetOffset(byte[] file)
    {
        long at = file.Length >= 132 && file.AsSpan(128, 4).SequenceEqual("DICM"u8) ? 132 : 0;
        while (at + 8 <= file.Length && BitConverter.ToUInt16(file, (int)at) == 0x0002)
        {
            var vr = System.Text.Encoding.ASCII.GetString(file, (int)at + 4, 2);
            at += vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OD" or "OF" or "OL" or "OV" or "SV" or "UV"
                ? 12 + BitConverter.ToUInt32(file, (int)at + 8)
                : 8 + BitConverter.ToUInt16(file, (int)at + 6);
        }
        return at;
    }

    public static byte[] DataSet(byte[] file) => file.AsSpan((int)DataSetOffset(file)).ToArray();

    /// <summary>Width and height from a JPEG's SOF marker; asserts SOI at the start and EOI at the end.</summary>
    public static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        Assert.True(jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "JPEG starts with SOI");
        Assert.True(jpeg[^2] == 0xFF && jpeg[^1] == 0xD9, "JPEG ends with EOI");
        var at = 2;
        while (at + 9 < jpeg.Length)
        {
            Assert.Equal(0xFF, jpeg[at]);
            var marker = jpeg[at + 1];
            var length = jpeg[at + 2] << 8 | jpeg[at + 3];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (jpeg[at + 7] << 8 | jpeg[at + 8], jpeg[at + 5] << 8 | jpeg[at + 6]);
            at += 2 + length;
        }
        throw new Xunit.Sdk.XunitException("no SOF marker in the JPEG");
    }

    /// <summary>Width and height from a PNG's IHDR; asserts the signature and the IEND chunk at the end.</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.True(png.AsSpan(12, 4).SequenceEqual("IHDR"u8), "IHDR first");
        Assert.True(png.AsSpan(png.Length - 8, 4).SequenceEqual("IEND"u8), "IEND last");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
