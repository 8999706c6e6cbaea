using System.Diagnostics;
using System.Net;
using RadBridge.Dicom.Imaging;
using Xunit.Abstractions;

namespace RadBridge.Server.Tests.DicomWeb;

public sealed class WadoFramesAndRenderingTests(ITestOutputHelper output)
{
    private const string Uncompressed = "CT_small.dcm";
    private const string JpegLs = "CT1_UNC.fragmented_bot_jpeg_ls.80.dcm";
    private const string MultiFrame = "emri_small.dcm";

    [Fact]
    public async Task Frames_bulk_data_rendering_transcoding_and_wado_uri_match_the_decoded_samples()
    {
        await using var wado = await WadoServer.StartAsync();
        var ct = await wado.StoreAsync(Uncompressed);
        var jls = await wado.StoreAsync(JpegLs);
        var multi = await wado.StoreAsync(MultiFrame);
        using var client = wado.Client("a-rad");

        var ctPixels = DicomPixelData.Create(DicomFile.Open(TestPaths.Sample(Uncompressed)));
        var jlsPixels = DicomPixelData.Create(DicomFile.Open(TestPaths.Sample(JpegLs)));
        var multiPixels = DicomPixelData.Create(DicomFile.Open(TestPaths.Sample(MultiFrame)));

        // Uncompressed frames: the native bytes, as application/octet-stream.
        var part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(ct) + "/frames/1", "multipart/related; type=\"application/octet-stream\""));
        Assert.Equal("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", part.ContentType);
        Assert.Equal(ctPixels.GetEncodedFrame(0).ToArray(), part.Content);

        // Compressed frames: as stored (image/jls), or decoded on request.
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(jls) + "/frames/1", "multipart/related; type=\"image/jls\""));
        Assert.Equal("image/jls; transfer-syntax=1.2.840.10008.1.2.4.80", part.ContentType);
        Assert.Equal(jlsPixels.GetEncodedFrame(0).ToArray(), part.Content);
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(jls) + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1"));
        Assert.Equal(jlsPixels.DecodeFrame(0).Data, part.Content);
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(jls) + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"));
        Assert.Equal("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80", part.ContentType);
        Assert.Equal(jlsPixels.GetEncodedFrame(0).ToArray(), part.Content);

        // A frame list, in the order asked; out of range is 400 with a message.
        var frames = await PartsAsync(client, WadoServer.InstanceUrl(multi) + "/frames/3,1", "multipart/related; type=\"application/octet-stream\"");
        Assert.Equal(2, frames.Count);
        Assert.Equal(multiPixels.GetEncodedFrame(2).ToArray(), frames[0].Content);
        Assert.Equal(multiPixels.GetEncodedFrame(0).ToArray(), frames[1].Content);
        using (var bad = await WadoServer.GetAsync(client, WadoServer.InstanceUrl(multi) + $"/frames/{multiPixels.FrameCount + 1}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("out of range", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var notAcceptable = await WadoServer.GetAsync(client, WadoServer.InstanceUrl(ct) + "/frames/1", "multipart/related; type=\"video/mpeg\""))
            Assert.Equal(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode);

        // Bulk data of the pixel data (the URI /metadata gives): native as one octet-stream part.
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(ct) + "/bulkdata/7FE00010", "multipart/related; type=\"application/octet-stream\""));
        Assert.Equal(ctPixels.GetEncodedFrame(0).ToArray(), part.Content);

        // Transcoding on retrieve: JPEG-LS to Explicit VR Little Endian, pixels equal to the decoded sample.
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(jls), "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1"));
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", part.ContentType);
        var transcoded = DicomFile.Read(new MemoryStream(part.Content));
        Assert.Equal("1.2.840.10008.1.2.1", transcoded.TransferSyntax.Uid);
        Assert.Equal(jlsPixels.DecodeFrame(0).Data, DicomPixelData.Create(transcoded).DecodeFrame(0).Data);
        Assert.Contains("=LittleEndianExplicit", await DcmtkCheck.DumpAsync(part.Content), StringComparison.Ordinal);
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(jls), "multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
        Assert.Contains("=JPEGLSLossless", await DcmtkCheck.DumpAsync(part.Content), StringComparison.Ordinal);
        // No transfer-syntax parameter means Explicit VR Little Endian (PS3.18): the compressed file is decoded too.
        part = Assert.Single(await PartsAsync(client, WadoServer.InstanceUrl(jls), "multipart/related; type=\"application/dicom\""));
        Assert.Equal("1.2.840.10008.1.2.1", DicomFile.Read(new MemoryStream(part.Content)).TransferSyntax.Uid);
        using (var notAcceptable = await WadoServer.GetAsync(client, WadoServer.InstanceUrl(jls), "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.3.4"))
        {
            Assert.Equal(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode);
            Assert.Contains("transfer-syntax=*", await notAcceptable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Rendered: JPEG by default, PNG on request, window and viewport honoured.
        var info = ctPixels.Info;
        var jpeg = await BytesAsync(client, WadoServer.InstanceUrl(ct) + "/rendered", null, "image/jpeg");
        Assert.Equal((info.Columns, info.Rows), Bytes.JpegSize(jpeg));
        var png = await BytesAsync(client, WadoServer.InstanceUrl(ct) + "/frames/1/rendered?window=40,400,linear", "image/png", "image/png");
        Assert.Equal((info.Columns, info.Rows), Bytes.PngSize(png));
        var small = await BytesAsync(client, WadoServer.InstanceUrl(jls) + "/rendered?viewport=64,64&quality=50", "image/jpeg", "image/jpeg");
        Assert.Equal((64, 64), Bytes.JpegSize(small));
        var thumb = await BytesAsync(client, $"dicomweb/studies/{multi.StudyInstanceUid}/thumbnail", null, "image/jpeg");
        var (tw, th) = Bytes.JpegSize(thumb);
        Assert.Equal(128, Math.Max(tw, th));
        var last = await BytesAsync(client, WadoServer.InstanceUrl(multi) + $"/frames/{multiPixels.FrameCount}/rendered", null, "image/jpeg");
        Assert.Equal((multiPixels.Info.Columns, multiPixels.Info.Rows), Bytes.JpegSize(last));
        using (var bad = await WadoServer.GetAsync(client, WadoServer.InstanceUrl(ct) + "/rendered?window=40", "image/jpeg"))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var notAcceptable = await WadoServer.GetAsync(client, WadoServer.InstanceUrl(ct) + "/rendered", "image/gif"))
            Assert.Equal(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode);

        // WADO-URI: JPEG and the DICOM file, at /wado and /dicomweb/wado.
        var query = $"?requestType=WADO&studyUID={ct.StudyInstanceUid}&seriesUID={ct.SeriesInstanceUid}&objectUID={ct.SopInstanceUid}";
        Assert.Equal((info.Columns, info.Rows), Bytes.JpegSize(await BytesAsync(client, "wado" + query, null, "image/jpeg")));
        var file = await BytesAsync(client, "dicomweb/wado" + query + "&contentType=application/dicom&transferSyntax=*", null, "application/dicom");
        Assert.Equal(Bytes.DataSet(await File.ReadAllBytesAsync(TestPaths.Sample(Uncompressed))), Bytes.DataSet(file));
        using (var missing = await WadoServer.GetAsync(client, "wado?requestType=WADO&studyUID=1.2&seriesUID=1.2&objectUID=1.2"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // Speed (informational; the assertions above are what must hold): repeated rendered frames and metadata.
        await ReportTimingAsync(client, WadoServer.InstanceUrl(ct) + "/frames/1/rendered", "image/jpeg", "rendered JPEG (CT_small)");
        await ReportTimingAsync(client, $"dicomweb/studies/{ct.StudyInstanceUid}/series/{ct.SeriesInstanceUid}/metadata", "application/dicom+json", "series metadata");
        Assert.True(await wado.Server.AuditedAsync("a-rad", "retrieve", "success"), "audit record of a-rad retrieve success");
    }

    [Fact]
    public async Task Series_metadata_is_cached_and_the_cache_is_dropped_when_the_series_changes()
    {
        await using var wado = await WadoServer.StartAsync();
        var first = await wado.StoreAsync("MR_small.dcm");
        using var client = wado.Client("a-rad");
        var url = $"dicomweb/studies/{first.StudyInstanceUid}/series/{first.SeriesInstanceUid}/metadata";
        var before = await BytesAsync(client, url, "application/dicom+json", "application/dicom+json");
        await using (var db = wado.Seeder.OpenIndex())
            Assert.Equal(1, db.SeriesMetadata.Single().InstanceCount);
        Assert.Equal(before, await BytesAsync(client, url, "application/dicom+json", "application/dicom+json"));

        // The study level concatenates its series'; the instance level is that one instance.
        var study = DicomJson.DeserializeArray(await BytesAsync(client, $"dicomweb/studies/{first.StudyInstanceUid}/metadata", null, "application/dicom+json"), Resolver);
        Assert.Single(study);
        var instance = DicomJson.DeserializeArray(await BytesAsync(client, WadoServer.InstanceUrl(first) + "/metadata", null, "application/dicom+json"), Resolver);
        Assert.Equal(first.SopInstanceUid, Assert.Single(instance).GetString(DicomTags.SOPInstanceUID));

        // A second instance stored into the series drops its cache row; the next request rebuilds it with both.
        var other = DicomFile.Open(TestPaths.Sample("MR_small.dcm"));
        other.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, first.SopInstanceUid + ".2");
        var path = Path.Combine(Path.GetTempPath(), $"rb-wado-{Guid.NewGuid():N}.dcm");
        other.Save(path);
        try
        {
            Assert.True((await wado.Seeder.StoreAsync(path, wado.OrgA)).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }
        await using (var db = wado.Seeder.OpenIndex())
            Assert.Empty(db.SeriesMetadata);
        var after = DicomJson.DeserializeArray(await BytesAsync(client, url, null, "application/dicom+json"), Resolver);
        Assert.Equal(2, after.Count);
        using (var notAcceptable = await WadoServer.GetAsync(client, url, "image/png"))
            Assert.Equal(HttpStatusCode.NotAcceptable, notAcceptable.StatusCode);
    }

    private static readonly DicomJsonOptions Resolver = new() { BulkDataResolver = _ => DicomBuffer.Empty };

    private async Task ReportTimingAsync(HttpClient client, string url, string accept, string what)
    {
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await WadoServer.GetAsync(client, url, accept);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        times.Sort();
        output.WriteLine($"{what}: p50 {times[times.Count / 2]:F2} ms, min {times[0]:F2} ms over {times.Count} requests");
    }

    private static async Task<IReadOnlyList<BodyPart>> PartsAsync(HttpClient client, string url, string accept)
    {
        using var response = await WadoServer.GetAsync(client, url, accept);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await MultipartBody.ReadAsync(response);
    }

    private static async Task<byte[]> BytesAsync(HttpClient client, string url, string? accept, string expectedType)
    {
        using var response = await WadoServer.GetAsync(client, url, accept);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
