using System.Diagnostics;
using System.Net;
using System.Text;
using RadBridge.Server.DicomWeb;

namespace RadBridge.Server.Tests.DicomWeb;

public sealed class StowTests(StowServer fixture) : IClassFixture<StowServer>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Instances_of_several_studies_are_stored_and_referenced_with_retrieve_urls()
    {
        using var http = fixture.TechnologistA();
        var (study1, study2, series) = (StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid());
        var sops = new[] { StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid() };
        var answer = await StowClient.StoreAsync(http,
            StowClient.Instance(study1, series, sops[0]), StowClient.Instance(study1, series, sops[1]), StowClient.Instance(study2, StowClient.NewUid(), sops[2]));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("application/dicom+json", answer.MediaType);
        Assert.Equal(sops.Order(StringComparer.Ordinal), answer.Referenced.Select(r => r.GetString(DicomTags.ReferencedSOPInstanceUID)!).Order(StringComparer.Ordinal));
        Assert.All(answer.Referenced, r => Assert.Equal("1.2.840.10008.5.1.4.1.1.7", r.GetString(DicomTags.ReferencedSOPClassUID)));
        var first = answer.Referenced.Single(r => r.GetString(DicomTags.ReferencedSOPInstanceUID) == sops[0]);
        Assert.Equal($"{Server.BaseUrl}dicomweb/studies/{study1}/series/{series}/instances/{sops[0]}", first.GetString(DicomTags.RetrieveURL));
        // Two studies: the study-level Retrieve URL (type 2) is present and empty.
        Assert.True(answer.Dataset!.Contains(DicomTags.RetrieveURL));
        Assert.Equal("", answer.Dataset.GetString(DicomTags.RetrieveURL) ?? "");
        Assert.Empty(answer.Failed);
        foreach (var sop in sops) Assert.NotNull(await StowClient.FindStoredAsync(Server.Location, sop));
    }

    [Fact]
    public async Task A_duplicate_identical_instance_succeeds_without_a_second_copy()
    {
        using var http = fixture.TechnologistA();
        var (study, series, sop) = (StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid());
        var bytes = StowClient.Instance(study, series, sop);
        var first = await StowClient.StoreAsync(http, bytes);
        var again = await StowClient.StoreAsync(http, bytes);

        Assert.True(first.Status == HttpStatusCode.OK, first.ToString());
        Assert.True(again.Status == HttpStatusCode.OK, again.ToString());
        Assert.Equal($"{Server.BaseUrl}dicomweb/studies/{study}", again.Dataset!.GetString(DicomTags.RetrieveURL));
        Assert.Equal(1, await StowClient.CountInstancesAsync(Server.Location, sop));
        var stored = await StowClient.FindStoredAsync(Server.Location, sop);
        var files = Directory.GetFiles(Path.GetDirectoryName(stored!.Value.Path)!);
        Assert.Single(files, f => Path.GetFileName(f).Contains(sop, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_conflicting_instance_is_refused_with_409_and_duplicate_sop_instance()
    {
        using var http = fixture.TechnologistA();
        var (study, series, sop) = (StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid());
        var original = StowClient.Instance(study, series, sop, fill: 1);
        Assert.Equal(HttpStatusCode.OK, (await StowClient.StoreAsync(http, original)).Status);

        var conflict = await StowClient.StoreAsync(http, StowClient.Instance(study, series, sop, fill: 2));

        Assert.True(conflict.Status == HttpStatusCode.Conflict, conflict.ToString());
        Assert.Equal(StowFailureReasons.DuplicateSopInstance, conflict.FailureReasonOf(sop));
        Assert.Contains(conflict.Warnings, w => w.Contains("0111H", StringComparison.Ordinal) && w.Contains(sop, StringComparison.Ordinal));
        Assert.Empty(conflict.Referenced);
        var stored = await StowClient.FindStoredAsync(Server.Location, sop);
        Assert.Equal(StowClient.DataSetBytes(original), StowClient.DataSetBytes(await File.ReadAllBytesAsync(stored!.Value.Path)));
    }

    [Fact]
    public async Task Instances_of_another_study_than_the_url_fail_with_study_uid_mismatch_and_the_rest_is_stored()
    {
        using var http = fixture.TechnologistA();
        var (study, other) = (StowClient.NewUid(), StowClient.NewUid());
        var (good, wrong) = (StowClient.NewUid(), StowClient.NewUid());
        var answer = await StowClient.PostAsync(http,
            StowClient.Content(StowClient.DicomBody(StowClient.Instance(study, StowClient.NewUid(), good), StowClient.Instance(other, StowClient.NewUid(), wrong))),
            StowClient.Study(study));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        Assert.Equal(StowFailureReasons.StudyInstanceUidMismatch, answer.FailureReasonOf(wrong));
        Assert.Equal(good, Assert.Single(answer.Referenced).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal($"{Server.BaseUrl}dicomweb/studies/{study}", answer.Dataset!.GetString(DicomTags.RetrieveURL));
        Assert.Contains(answer.Warnings, w => w.Contains(other, StringComparison.Ordinal));
        Assert.Null(await StowClient.FindStoredAsync(Server.Location, wrong));

        var allWrong = await StowClient.PostAsync(http, StowClient.Content(StowClient.DicomBody(StowClient.Instance(other, StowClient.NewUid(), StowClient.NewUid()))), StowClient.Study(study));
        Assert.True(allWrong.Status == HttpStatusCode.Conflict, allWrong.ToString());

        var badUrl = await StowClient.PostAsync(http, StowClient.Content(StowClient.DicomBody(StowClient.Instance(study, StowClient.NewUid(), StowClient.NewUid()))), StowClient.Study("1.2.abc"));
        Assert.True(badUrl.Status == HttpStatusCode.BadRequest, badUrl.ToString());
        Assert.Contains("not a valid Study Instance UID", badUrl.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_of_another_organisation_cannot_add_to_a_study_it_does_not_own()
    {
        using var a = fixture.TechnologistA();
        using var b = fixture.TechnologistB();
        var study = StowClient.NewUid();
        Assert.Equal(HttpStatusCode.OK, (await StowClient.StoreAsync(a, StowClient.Instance(study, StowClient.NewUid(), StowClient.NewUid()))).Status);

        var (intruder, own) = (StowClient.NewUid(), StowClient.NewUid());
        var answer = await StowClient.StoreAsync(b, StowClient.Instance(study, StowClient.NewUid(), intruder), StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), own));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        Assert.Equal(StowFailureReasons.NotAuthorized, answer.FailureReasonOf(intruder));
        Assert.Equal(own, Assert.Single(answer.Referenced).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Null(await StowClient.FindStoredAsync(Server.Location, intruder));
    }

    [Fact]
    public async Task Storing_needs_credentials_and_a_role_that_may_store()
    {
        var body = StowClient.DicomBody(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid()));
        using (var anonymous = Server.Client())
        {
            var answer = await StowClient.PostAsync(anonymous, StowClient.Content(body));
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        }
        using (var wrongPassword = Server.Client("a.tech", "not-the-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await StowClient.PostAsync(wrongPassword, StowClient.Content(body))).Status);
        }
        foreach (var client in new[] { fixture.TraineeA(), fixture.AuditorA() })
        {
            using (client)
            {
                var answer = await StowClient.PostAsync(client, StowClient.Content(body));
                Assert.True(answer.Status == HttpStatusCode.Forbidden, answer.ToString());
                Assert.Contains("may not store", answer.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_response_is_dicom_xml_when_asked()
    {
        using var http = fixture.TechnologistA();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/dicom+xml");
        var sop = StowClient.NewUid();
        var answer = await StowClient.StoreAsync(http, StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), sop));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/dicom+xml", answer.MediaType);
        var ds = DicomXml.Deserialize(answer.Text);
        Assert.Equal(sop, ds.GetSequence(DicomTags.ReferencedSOPSequence)!.Items.Single().GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    public static TheoryData<string, string?, byte[], HttpStatusCode, string> MalformedRequests()
    {
        var good = StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid());
        var body = StowClient.DicomBody(good);
        var b = StowClient.Boundary;
        var data = new TheoryData<string, string?, byte[], HttpStatusCode, string>
        {
            { "no Content-Type", null, body, HttpStatusCode.UnsupportedMediaType, "has no Content-Type" },
            { "not multipart", "application/json", body, HttpStatusCode.UnsupportedMediaType, "not application/json" },
            { "single part application/dicom", "application/dicom", good, HttpStatusCode.UnsupportedMediaType, "multipart/related" },
            { "unsupported root type", $"multipart/related; type=\"application/dicom+xml\"; boundary={b}", body, HttpStatusCode.UnsupportedMediaType, "application/dicom+xml" },
            { "no boundary", "multipart/related; type=\"application/dicom\"", body, HttpStatusCode.BadRequest, "no boundary" },
            { "other boundary", $"multipart/related; type=\"application/dicom\"; boundary=SomethingElse", body, HttpStatusCode.BadRequest, "malformed" },
            { "truncated body", $"multipart/related; type=\"application/dicom\"; boundary={b}", body[..(body.Length / 2)], HttpStatusCode.BadRequest, "malformed" },
            { "garbage body", $"multipart/related; type=\"application/dicom\"; boundary={b}", Encoding.ASCII.GetBytes(new string('x', 50_000)), HttpStatusCode.BadRequest, "malformed" },
            { "zero parts", $"multipart/related; type=\"application/dicom\"; boundary={b}", Encoding.ASCII.GetBytes($"--{b}--\r\n"), HttpStatusCode.BadRequest, "no parts" },
            { "huge part header", $"multipart/related; type=\"application/dicom\"; boundary={b}",
                Encoding.ASCII.GetBytes($"--{b}\r\nContent-Type: application/dicom\r\nX-Padding: {new string('a', 40_000)}\r\n\r\n").Concat(good).Concat(Encoding.ASCII.GetBytes($"\r\n--{b}--\r\n")).ToArray(),
                HttpStatusCode.BadRequest, "malformed" },
            { "garbage part", $"multipart/related; type=\"application/dicom\"; boundary={b}",
                StowClient.Body([(Encoding.ASCII.GetBytes("this is not DICOM at all, just text"), "application/dicom", null)]), HttpStatusCode.BadRequest, "C000" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_requests_are_refused_with_a_clear_message_and_the_server_keeps_serving(string name, string? contentType, byte[] body, HttpStatusCode expected, string message)
    {
        using var http = fixture.TechnologistA();
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var answer = await StowClient.PostAsync(http, content);

        Assert.True(answer.Status == expected, $"{name}: {answer}");
        Assert.Contains(message, answer.Text + string.Join(" ", answer.Warnings), StringComparison.OrdinalIgnoreCase);
        await StowClient.AssertStillServingAsync(Server);
    }

    [Fact]
    public async Task A_body_that_breaks_after_stored_parts_keeps_them_and_reports_the_break()
    {
        using var http = fixture.TechnologistA();
        var stored = StowClient.NewUid();
        var whole = StowClient.DicomBody(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), stored),
            StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid(), size: 64));
        var answer = await StowClient.PostAsync(http, StowClient.Content(whole[..(whole.Length - 2000)]));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        Assert.Equal(stored, Assert.Single(answer.Referenced).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(StowFailureReasons.CannotUnderstand, Assert.Single(answer.AllFailureReasons));
        Assert.Contains(answer.Warnings, w => w.Contains("malformed", StringComparison.Ordinal));
        await StowClient.AssertStillServingAsync(Server);
    }

    [Fact]
    public async Task A_boundary_longer_than_rfc_2046_allows_is_taken_as_orthanc_sends_it_but_not_an_endless_one()
    {
        using var http = fixture.TechnologistA();
        var orthancLike = new string('b', 73);
        var sop = StowClient.NewUid();
        var answer = await StowClient.PostAsync(http, StowClient.Content(
            StowClient.Body([(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), sop), "application/dicom", null)], orthancLike), boundary: orthancLike));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());

        var endless = new string('b', StowContentType.MaxBoundaryLength + 1);
        var refused = await StowClient.PostAsync(http, StowClient.Content(
            StowClient.Body([(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), StowClient.NewUid()), "application/dicom", null)], endless), boundary: endless));
        Assert.True(refused.Status == HttpStatusCode.BadRequest, refused.ToString());
        Assert.Contains("boundary", refused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_part_of_another_media_type_fails_alone()
    {
        using var http = fixture.TechnologistA();
        var sop = StowClient.NewUid();
        var body = StowClient.Body([
            (StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), sop), "application/dicom", null),
            (Encoding.UTF8.GetBytes("{}"), "application/json", null),
        ]);
        var answer = await StowClient.PostAsync(http, StowClient.Content(body));

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        Assert.Single(answer.Referenced);
        Assert.Equal(StowFailureReasons.CannotUnderstand, Assert.Single(answer.OtherFailures).GetValues<ushort>(DicomTags.FailureReason).Single());
        Assert.Contains(answer.Warnings, w => w.Contains("application/json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Curl_stores_with_basic_credentials()
    {
        var sop = StowClient.NewUid();
        var bodyPath = Path.Combine(Path.GetTempPath(), $"stow-curl-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(bodyPath, StowClient.DicomBody(StowClient.Instance(StowClient.NewUid(), StowClient.NewUid(), sop)));
        try
        {
            var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-sS", "-u", $"a.tech:{StowServer.Password}", "-H", $"Content-Type: multipart/related; type=\"application/dicom\"; boundary={StowClient.Boundary}",
                         "--data-binary", "@" + bodyPath, "-w", "\n%{http_code}", new Uri(Server.BaseUrl, StowClient.Studies).ToString() })
            {
                psi.ArgumentList.Add(a);
            }
            using var curl = Process.Start(psi)!;
            var output = await curl.StandardOutput.ReadToEndAsync();
            await curl.WaitForExitAsync();
            Assert.True(curl.ExitCode == 0, await curl.StandardError.ReadToEndAsync());
            var lines = output.TrimEnd().Split('\n');
            Assert.Equal("200", lines[^1]);
            var response = DicomJson.Deserialize(string.Join('\n', lines[..^1]));
            Assert.Equal(sop, response.GetSequence(DicomTags.ReferencedSOPSequence)!.Items.Single().GetString(DicomTags.ReferencedSOPInstanceUID));
            Assert.NotNull(await StowClient.FindStoredAsync(Server.Location, sop));
        }
        finally
        {
            File.Delete(bodyPath);
        }
    }
}
