using System.Diagnostics;
using System.Net;
using RadBridge.Dicom.Imaging;
using Xunit.Abstractions;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>
/// The benchmark's two WADO figures on realistic shapes: the metadata of a 300-instance series and a rendered frame of
/// a 512×512 CT. The timings are printed (the machine is shared, so they are not asserted); what is asserted is that
/// the answers are complete and right.
/// </summary>
public sealed class WadoTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Metadata_of_a_300_instance_series_and_rendered_512_CT_frames_are_served_whole()
    {
        await using var wado = await WadoServer.StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), $"rb-wado-timing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // A 512×512 CT in Explicit VR Little Endian (the NEMA JPEG-LS CT, decoded), and a 300-instance series of it.
            var ct = new DicomTranscoder().Transcode(DicomFile.Open(TestPaths.Sample("CT2_JLSN.dcm")), DicomTransferSyntax.ExplicitVRLittleEndian);
            var series = DicomUidGenerator();
            var files = new List<string>();
            for (var i = 1; i <= 300; i++)
            {
                ct.Dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
                ct.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, $"{series}.{i}");
                ct.Dataset.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var path = Path.Combine(dir, $"{i}.dcm");
                using (var stream = File.Create(path)) ct.WriteTo(stream); // Test input: no need for Save's fsync.
                files.Add(path);
            }
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (f, _) =>
                Assert.True((await wado.Seeder.StoreAsync(f, wado.OrgA)).Succeeded));
            var study = ct.Dataset.GetString(DicomTags.StudyInstanceUID);
            using var client = wado.Client("a-rad");

            var url = $"dicomweb/studies/{study}/series/{series}/metadata";
            var clock = Stopwatch.StartNew();
            using (var first = await WadoServer.GetAsync(client, url, "application/dicom+json"))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                var datasets = DicomJson.DeserializeArray(await first.Content.ReadAsByteArrayAsync(), new DicomJsonOptions { BulkDataResolver = _ => DicomBuffer.Empty });
                Assert.Equal(300, datasets.Count);
            }
            output.WriteLine($"series metadata, 300 instances, first (built): {clock.Elapsed.TotalMilliseconds:F1} ms");
            await ReportAsync(client, url, "application/dicom+json", "series metadata, 300 instances, cached");

            var jpeg = await ReportAsync(client, $"dicomweb/studies/{study}/series/{series}/instances/{series}.150/frames/1/rendered", "image/jpeg", "rendered JPEG, 512x512 CT frame");
            Assert.Equal((512, 512), Bytes.JpegSize(jpeg));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string DicomUidGenerator() => "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<byte[]> ReportAsync(HttpClient client, string url, string accept, string what)
    {
        var times = new List<double>();
        byte[] last = [];
        for (var i = 0; i < 40; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await WadoServer.GetAsync(client, url, accept);
            last = await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        times.Sort();
        output.WriteLine($"{what}: p50 {times[times.Count / 2]:F2} ms, min {times[0]:F2} ms over {times.Count} requests");
        return last;
    }
}
