using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;

namespace RadBridge.Server.Tests.ReadRequests;

/// <summary>The read request API on a running server, as the web app and the clinic's tools call it (SQLite and PostgreSQL).</summary>
public abstract class ReadRequestApiTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : ReadRequestServerFixture
{
    private const string Findings = "右肺上叶见一约8mm磨玻璃结节，边界清楚。 A well-defined 8 mm ground-glass nodule in the right upper lobe.";
    private const string Impression = "右肺上叶结节，建议3个月后复查。 RUL nodule; follow-up CT in 3 months.";

    private static string Status(JsonElement view) => view.GetProperty("status").GetString()!;

    [Fact]
    public async Task Create_claim_write_sign_with_reauthentication_and_read_back()
    {
        using var east = fixture.Client("tech.east");
        using var rad = fixture.Client("rad");
        var study = fixture.EastStudies[0];

        // The centre cannot see the clinic's study before the request…
        var (before, none) = await Api.GetAsync(rad, $"dicomweb/studies?StudyInstanceUID={study}");
        Assert.True(before.StatusCode == HttpStatusCode.NoContent || none.GetArrayLength() == 0, $"{before.StatusCode}: {none}");

        var (created, view) = await Api.PostAsync(east, "api/read-requests",
            new { studyInstanceUid = study, priority = "stat", clinicalQuestion = "肺结节？ Lung nodule?", indication = "咳嗽两周 cough for two weeks" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = view.GetProperty("id").GetString()!;
        Assert.Equal($"/api/read-requests/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("requested", Status(view));
        Assert.Equal("stat", view.GetProperty("priority").GetString());
        Assert.Equal("ok", view.GetProperty("slaState").GetString());
        Assert.InRange(view.GetProperty("slaSecondsLeft").GetInt64(), 1700, 1800);
        Assert.Equal("CT", view.GetProperty("modality").GetString());
        Assert.Equal(ReadRequestServerFixture.PatientName, view.GetProperty("patientName").GetString());
        Assert.Equal("Township Clinic East", view.GetProperty("clinic").GetProperty("name").GetString());
        Assert.Equal("Central Hospital", view.GetProperty("centre").GetProperty("name").GetString());
        Assert.Equal(0, view.GetProperty("reportVersion").GetInt32());

        // …and can after it (the request shared the study with the centre).
        var (after, studies) = await Api.GetAsync(rad, $"dicomweb/studies?StudyInstanceUID={study}");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(1, studies.GetArrayLength());

        var (got, current) = await Api.GetAsync(rad, $"api/read-requests/{id}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal("requested", Status(current));

        var (claimed, claimView) = await Api.PostAsync(rad, $"api/read-requests/{id}/claim");
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal("assigned", Status(claimView));
        Assert.Equal("rad", claimView.GetProperty("assignee").GetString());

        var (saved, report) = await Api.PutAsync(rad, $"api/read-requests/{id}/report",
            new { findings = Findings, impression = Impression, language = "zh-CN", structuredFields = new Dictionary<string, string> { ["lungRads"] = "3" } });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.Equal(1, report.GetProperty("version").GetInt32());
        Assert.Equal("draft", report.GetProperty("status").GetString());
        Assert.Equal("inReading", Status((await Api.GetAsync(rad, $"api/read-requests/{id}")).Json));
        // The clinic does not read the reader's working draft.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(east, $"api/read-requests/{id}/report")).Response.StatusCode);

        var (refused, problem) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("the password is wrong; the report was not signed", problem.GetProperty("detail").GetString());
        Assert.Equal("inReading", Status((await Api.GetAsync(rad, $"api/read-requests/{id}")).Json));
        await using (var db = ArchiveDatabase.Open(fixture.Server.Location))
        {
            // The wrong password counts towards the lockout like a failed login.
            Assert.Equal(1, await db.Users.Where(u => u.UserName == "rad").Select(u => u.AccessFailedCount).SingleAsync());
        }

        var (signed, signedView) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password });
        Assert.True(signed.StatusCode == HttpStatusCode.OK, signedView.ToString());
        Assert.Contains(Status(signedView), new[] { "signed", "delivered" });
        Assert.Equal("rad", signedView.GetProperty("signedBy").GetString());
        Assert.Equal("met", signedView.GetProperty("slaState").GetString());
        Assert.False(signedView.GetProperty("critical").GetProperty("flagged").GetBoolean());

        var (final, finalView) = await Api.GetAsync(east, $"api/read-requests/{id}");
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);
        Assert.Contains(Status(finalView), new[] { "signed", "delivered" });
        var (clinicReport, finalReport) = await Api.GetAsync(east, $"api/read-requests/{id}/report");
        Assert.Equal(HttpStatusCode.OK, clinicReport.StatusCode);
        Assert.Equal(Findings, finalReport.GetProperty("findings").GetString());
        Assert.Equal("final", finalReport.GetProperty("status").GetString());
        Assert.Equal("3", finalReport.GetProperty("structuredFields").GetProperty("lungRads").GetString());

        // Every action is audited with the study, the refused signature included.
        var records = (await fixture.Server.AuditRecordsAsync()).Where(r => r.Action == AuditActions.ReadRequest && r.StudyInstanceUid == study).ToList();
        Assert.Contains(records, r => r.Actor == "tech.east" && r.Outcome == "success" && r.Detail!.StartsWith("create", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Actor == "rad" && r.Outcome == "success" && r.Detail!.StartsWith($"claim read request {id}", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Actor == "rad" && r.Outcome == "failure" && r.Detail!.StartsWith($"sign read request {id}: the password is wrong", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Actor == "rad" && r.Outcome == "success" && r.Detail!.StartsWith($"sign read request {id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_illegal_transition_is_409_with_the_reason_and_a_wrong_role_403()
    {
        using var east = fixture.Client("tech.east");
        using var rad = fixture.Client("rad");
        var id = await Api.CreateAsync(east, fixture.EastStudies[1], "routine");

        var (signed, problem) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password });
        Assert.Equal(HttpStatusCode.Conflict, signed.StatusCode);
        Assert.Equal("cannot sign a read request that is 'requested'; claim it first", problem.GetProperty("detail").GetString());
        Assert.Equal("application/problem+json", signed.Content.Headers.ContentType?.MediaType);

        var (claimedByClinic, roleProblem) = await Api.PostAsync(east, $"api/read-requests/{id}/claim");
        Assert.Equal(HttpStatusCode.Forbidden, claimedByClinic.StatusCode);
        Assert.Equal("only the centre's readers may claim a read request", roleProblem.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, $"api/read-requests/{id}/claim")).Response.StatusCode);
        using var rad2 = fixture.Client("rad2");
        var (again, againProblem) = await Api.PostAsync(rad2, $"api/read-requests/{id}/claim");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already assigned", againProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (noReason, reasonProblem) = await Api.PostAsync(east, $"api/read-requests/{id}/cancel", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason is required", reasonProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (cancelled, cancelView) = await Api.PostAsync(east, $"api/read-requests/{id}/cancel", new { reason = "患者已转院 patient transferred" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", Status(cancelView));
        Assert.Equal("患者已转院 patient transferred", cancelView.GetProperty("cancelReason").GetString());
    }

    [Fact]
    public async Task Another_clinics_user_gets_404_and_an_empty_list()
    {
        using var east = fixture.Client("tech.east");
        using var west = fixture.Client("tech.west");
        var id = await Api.CreateAsync(east, fixture.EastStudies[2]);

        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(west, $"api/read-requests/{id}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(west, $"api/read-requests/{id}/report")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(west, $"api/read-requests/{id}/cancel", new { reason = "mine now" })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(west, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password })).Response.StatusCode);
        var (list, page) = await Api.GetAsync(west, "api/read-requests");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(0, page.GetProperty("total").GetInt32());
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        // Nor can it ask for the reading of a study that is not its own.
        var (create, problem) = await Api.PostAsync(west, "api/read-requests", new { studyInstanceUid = fixture.EastStudies[2], priority = "stat", clinicalQuestion = "?" });
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.Contains("not found", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The auditor (no patient data) sees nothing either; the clinic and the centre see it.
        using var auditor = fixture.Client("auditor");
        Assert.Equal(0, (await Api.GetAsync(auditor, "api/read-requests")).Json.GetProperty("total").GetInt32());
        Assert.Contains(id, Ids((await Api.GetAsync(east, "api/read-requests?limit=500")).Json));
        using var rad = fixture.Client("rad");
        Assert.Contains(id, Ids((await Api.GetAsync(rad, "api/read-requests?limit=500")).Json));
    }

    [Fact]
    public async Task A_trainee_sees_requests_without_patient_identification()
    {
        using var east = fixture.Client("tech.east");
        using var trainee = fixture.Client("trainee");
        var id = await Api.CreateAsync(east, fixture.EastStudies[3]);

        var (got, view) = await Api.GetAsync(trainee, $"api/read-requests/{id}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("patientName").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("patientId").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("patientBirthDate").ValueKind);
        Assert.Equal("CT", view.GetProperty("modality").GetString());
        var item = (await Api.GetAsync(trainee, "api/read-requests?limit=500")).Json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("patientName").ValueKind);
        // A trainee does not claim.
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(trainee, $"api/read-requests/{id}/claim")).Response.StatusCode);
    }

    [Fact]
    public async Task The_worklist_filters_and_sorts_stat_first()
    {
        using var east = fixture.Client("tech.east");
        using var rad = fixture.Client("rad");
        var routine = await Api.CreateAsync(east, fixture.EastStudies[4], "routine");
        var stat = await Api.CreateAsync(east, fixture.EastStudies[4], "stat");

        var (response, page) = await Api.GetAsync(rad, "api/read-requests?status=requested&sort=priority&limit=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = Ids(page);
        Assert.True(ids.IndexOf(stat) < ids.IndexOf(routine), "a STAT request comes before a routine one");
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("requested", Status(i)));
        var stats = Ids((await Api.GetAsync(rad, "api/read-requests?priority=stat&sort=sla&limit=500")).Json);
        Assert.Contains(stat, stats);
        Assert.DoesNotContain(routine, stats);

        var (bad, problem) = await Api.GetAsync(rad, "api/read-requests?status=finished");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status 'finished' is not one of", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_critical_finding_is_renotified_until_the_clinic_acknowledges_it()
    {
        using var east = fixture.Client("tech.east");
        using var rad = fixture.Client("rad2");
        var id = await Api.CreateAsync(east, fixture.EastStudies[5]);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, $"api/read-requests/{id}/claim")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(rad, $"api/read-requests/{id}/report", new { findings = "张力性气胸 tension pneumothorax", impression = "危急值 critical", critical = true })).Response.StatusCode);
        var (signed, view) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password });
        Assert.True(signed.StatusCode == HttpStatusCode.OK, view.ToString());
        Assert.True(view.GetProperty("critical").GetProperty("flagged").GetBoolean());

        // Re-notified every second (the fixture's interval) while unacknowledged.
        var notices = await WaitForAsync(async () => await CriticalNoticesAsync(east, id), n => n >= 2, TimeSpan.FromSeconds(30));
        Assert.True(notices >= 2, $"{notices} critical notices in 30 s");

        var (ack, ackView) = await Api.PostAsync(east, $"api/read-requests/{id}/acknowledge-critical");
        Assert.True(ack.StatusCode == HttpStatusCode.OK, ackView.ToString());
        Assert.Equal("tech.east", ackView.GetProperty("critical").GetProperty("acknowledgedBy").GetString());
        var atAck = await CriticalNoticesAsync(east, id);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        // At most one round that was already under way when the acknowledgement landed.
        Assert.InRange(await CriticalNoticesAsync(east, id), atAck, atAck + 1);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.PostAsync(east, $"api/read-requests/{id}/acknowledge-critical")).Response.StatusCode);
    }

    [Fact]
    public async Task A_breached_sla_is_escalated_to_the_centres_administrator()
    {
        using var east = fixture.Client("tech.east");
        using var admin = fixture.Client("admin");
        // Urgent is due after 2 s in the fixture.
        var id = await Api.CreateAsync(east, fixture.EastStudies[6], "urgent");

        var escalations = await WaitForAsync(async () => (await Api.GetAsync(admin, "api/notifications")).Json.EnumerateArray()
            .Count(n => n.GetProperty("readRequestId").GetString() == id && n.GetProperty("kind").GetString() == "slaBreached"), n => n > 0, TimeSpan.FromSeconds(30));
        Assert.Equal(1, escalations);
        var view = (await Api.GetAsync(admin, $"api/read-requests/{id}")).Json;
        Assert.Equal("breached", view.GetProperty("slaState").GetString());
        Assert.True(view.GetProperty("slaSecondsLeft").GetInt64() < 0);
        // The escalation goes to the supervisor, not to the clinic.
        Assert.DoesNotContain((await Api.GetAsync(east, "api/notifications")).Json.EnumerateArray(), n => n.GetProperty("kind").GetString() == "slaBreached");
    }

    private static async Task<int> CriticalNoticesAsync(HttpClient http, string id) =>
        (await Api.GetAsync(http, "api/notifications?limit=500")).Json.EnumerateArray()
            .Count(n => n.GetProperty("readRequestId").GetString() == id && n.GetProperty("kind").GetString() == "criticalFinding");

    private static async Task<int> WaitForAsync(Func<Task<int>> probe, Func<int, bool> done, TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value) || watch.Elapsed > limit) return value;
            await Task.Delay(200);
        }
    }

    private static List<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task A_signer_with_a_second_factor_re_authenticates_with_the_password_alone()
    {
        await fixture.Server.AddUserAsync(fixture.Centre, RadBridge.Archive.Tenancy.ArchiveRoles.Radiologist, "rad.totp.session", ReadRequestServerFixture.Password);
        using var rad = fixture.Server.Client();
        rad.DefaultRequestHeaders.Authorization = Api.Bearer(await fixture.TokenAsync("rad.totp.session"));
        var (_, enrolment) = await Api.PostAsync(rad, "api/me/totp");
        var codes = await TotpTests.CodesAsync(enrolment.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, "api/me/totp/confirm", new { code = codes.Current })).Response.StatusCode);

        using var east = fixture.Client("tech.east");
        var id = await Api.CreateAsync(east, fixture.EastStudies[^1], "routine");
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(rad, $"api/read-requests/{id}/claim")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutAsync(rad, $"api/read-requests/{id}/report", new { findings = Findings, impression = Impression })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = "not-the-password" })).Response.StatusCode);
        var (signed, view) = await Api.PostAsync(rad, $"api/read-requests/{id}/sign", new { password = ReadRequestServerFixture.Password });
        Assert.True(signed.StatusCode == HttpStatusCode.OK, view.ToString());
        Assert.Contains(Status(view), new[] { "signed", "delivered" });
    }
}

public sealed class SqliteReadRequestApiTests(ReadRequestServerFixture fixture) : ReadRequestApiTests<ReadRequestServerFixture>(fixture);

public sealed class PostgresReadRequestApiTests(PostgresReadRequestServerFixture fixture) : ReadRequestApiTests<PostgresReadRequestServerFixture>(fixture);
