using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace RadBridge.Server.Tests.ReadRequests;

/// <summary>The live worklist hub on a running server: who receives <c>readRequestChanged</c>, and who does not.</summary>
public sealed class WorklistHubTests(ReadRequestServerFixture fixture) : IClassFixture<ReadRequestServerFixture>
{
    /// <summary>A hub connection authenticated the way a browser's WebSocket is: the JWT in the access_token query parameter.</summary>
    private async Task<(HubConnection Connection, ConcurrentQueue<JsonElement> Received)> ConnectAsync(string user)
    {
        var token = await fixture.TokenAsync(user);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Server.BaseUrl, $"hubs/worklist?access_token={Uri.EscapeDataString(token)}"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        var received = new ConcurrentQueue<JsonElement>();
        connection.On<JsonElement>("readRequestChanged", view => received.Enqueue(view));
        await connection.StartAsync();
        return (connection, received);
    }

    [Fact]
    public async Task Changes_reach_the_clinic_and_the_centre_redacted_for_trainees_and_nobody_else()
    {
        var (rad, toRad) = await ConnectAsync("rad");
        var (east, toEast) = await ConnectAsync("tech.east");
        var (west, toWest) = await ConnectAsync("tech.west");
        var (trainee, toTrainee) = await ConnectAsync("trainee");
        await using (rad)
        await using (east)
        await using (west)
        await using (trainee)
        {
            using var eastHttp = fixture.Client("tech.east");
            using var radHttp = fixture.Client("rad");
            var id = await Api.CreateAsync(eastHttp, fixture.EastStudies[7]);

            var created = await WaitForAsync(toRad, id, "requested");
            Assert.Equal(ReadRequestServerFixture.PatientName, created.GetProperty("patientName").GetString());
            Assert.Equal("stat", created.GetProperty("priority").GetString());
            await WaitForAsync(toEast, id, "requested");
            var redacted = await WaitForAsync(toTrainee, id, "requested");
            Assert.Equal(JsonValueKind.Null, redacted.GetProperty("patientName").ValueKind);
            Assert.Equal(JsonValueKind.Null, redacted.GetProperty("patientId").ValueKind);

            Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(radHttp, $"api/read-requests/{id}/claim")).Response.StatusCode);
            var claimed = await WaitForAsync(toEast, id, "assigned");
            Assert.Equal("rad", claimed.GetProperty("assignee").GetString());

            // Both pushes have arrived elsewhere: anything meant for the other clinic would have arrived by now too.
            await WaitForAsync(toRad, id, "assigned");
            await Task.Delay(500);
            Assert.DoesNotContain(toWest, v => v.GetProperty("id").GetString() == id);
        }
    }

    [Fact]
    public async Task A_connection_without_credentials_is_refused()
    {
        await using var anonymous = new HubConnectionBuilder().WithUrl(new Uri(fixture.Server.BaseUrl, "hubs/worklist")).Build();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);

        var forged = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Server.BaseUrl, "hubs/worklist?access_token=not-a-token"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        await using (forged)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => forged.StartAsync());
            Assert.Equal(HubConnectionState.Disconnected, forged.State);
        }
    }

    private static async Task<JsonElement> WaitForAsync(ConcurrentQueue<JsonElement> received, string id, string status)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            foreach (var view in received)
            {
                if (view.GetProperty("id").GetString() == id && view.GetProperty("status").GetString() == status) return view;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no readRequestChanged for {id} in state '{status}' in 20 s; got {received.Count} other messages");
    }
}
