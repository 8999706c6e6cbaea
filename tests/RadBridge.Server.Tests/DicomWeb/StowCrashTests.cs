using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>
/// Issue 6's crash-safety rule for STOW-RS: the server is killed (SIGKILL) in the middle of parallel STOW requests;
/// after a restart every instance that was acknowledged with 200 is in the index and its file is intact, and no index
/// row lacks its file.
/// </summary>
public sealed class StowCrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_instance_survives_a_kill_during_parallel_stow()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync();
        output.WriteLine($"{clock.Elapsed}: started");
        var org = await server.AddOrganizationAsync("Crash clinic");
        await server.AddUserAsync(org, ArchiveRoles.Technologist, "crash.tech", StowServer.Password);

        var study = StowClient.NewUid();
        var instances = Enumerable.Range(0, 100).Select(i =>
        {
            var sop = StowClient.NewUid();
            return (Sop: sop, Bytes: StowClient.Instance(study, StowClient.NewUid(), sop, fill: (byte)i, size: 64));
        }).ToList();
        var acknowledged = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var killAfter = 25;
        var killed = 0;
        var next = -1;

        async Task Worker()
        {
            using var http = server.Client("crash.tech", StowServer.Password);
            while (Volatile.Read(ref killed) == 0)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= instances.Count) return;
                try
                {
                    var answer = await StowClient.StoreAsync(http, instances[i].Bytes);
                    if (answer.Status == HttpStatusCode.OK) acknowledged[instances[i].Sop] = instances[i].Bytes;
                }
                catch (HttpRequestException)
                {
                    // The server died under this request: not acknowledged.
                }
                catch (TaskCanceledException)
                {
                    // Same.
                }
                if (acknowledged.Count >= killAfter && Interlocked.Exchange(ref killed, 1) == 0) server.Kill();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(Worker)));
        Assert.True(Volatile.Read(ref killed) == 1, "the server was never killed");
        Assert.True(acknowledged.Count >= killAfter && acknowledged.Count < instances.Count, $"{acknowledged.Count} acknowledged");

        output.WriteLine($"{clock.Elapsed}: killed after {acknowledged.Count} acknowledged");
        await server.RestartAsync();
        output.WriteLine($"{clock.Elapsed}: restarted");
        await using var db = ArchiveDatabase.Open(server.Location);
        var rows = await db.Instances.AsNoTracking().ToListAsync();
        var bySop = rows.ToDictionary(r => r.SopInstanceUid, StringComparer.Ordinal);
        foreach (var (sop, sent) in acknowledged)
        {
            Assert.True(bySop.TryGetValue(sop, out var row), $"acknowledged {sop} is not in the index after the crash");
            var path = Path.Combine(server.Location.StorageRoot, row.StoragePath);
            Assert.True(File.Exists(path), $"acknowledged {sop}: its file {path} is missing");
            Assert.Equal(StowClient.DataSetBytes(sent), StowClient.DataSetBytes(await File.ReadAllBytesAsync(path)));
            Assert.Equal(row.DataSetSha256, await DataSetHash.ComputeAsync(path, CancellationToken.None));
        }
        foreach (var row in rows)
        {
            Assert.True(File.Exists(Path.Combine(server.Location.StorageRoot, row.StoragePath)), $"index row {row.SopInstanceUid} has no file");
        }

        // And the restarted server takes the rest.
        using var again = server.Client("crash.tech", StowServer.Password);
        var rest = instances.Where(x => !acknowledged.ContainsKey(x.Sop)).Take(10).Select(x => x.Bytes).ToArray();
        var answer = await StowClient.StoreAsync(again, rest);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
    }
}
