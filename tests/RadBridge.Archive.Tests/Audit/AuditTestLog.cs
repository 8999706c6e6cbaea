using RadBridge.Archive.Audit;

namespace RadBridge.Archive.Tests.Audit;

/// <summary>A throwaway audit directory, events to fill it with, and line-level edits for tamper tests.</summary>
internal sealed class AuditTestLog : IDisposable
{
    public AuditTestLog()
    {
        Directory = Path.Combine(Path.GetTempPath(), "rb-audit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static AuditEvent Event(int i, string? study = null, string action = AuditActions.Retrieve, string actor = "alice", int? org = 1) => new()
    {
        Time = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero).AddSeconds(i),
        Actor = actor,
        OrganizationId = org,
        OrganizationName = org is null ? null : $"Clinic {org}",
        Action = action,
        Channel = "DICOMweb",
        RemoteAddress = "10.0.0.7",
        StudyInstanceUid = study ?? $"1.2.3.{i}",
        SeriesInstanceUid = $"1.2.3.{i}.1",
        SopInstanceUid = $"1.2.3.{i}.1.1",
        Outcome = "success",
        Detail = $"event {i}",
    };

    /// <summary>Writes <paramref name="count"/> events one after the other.</summary>
    public async Task WriteAsync(int count, TimeProvider? clock = null)
    {
        var log = new HashChainedAuditLog(Directory, clock);
        await using (log)
        {
            for (var i = 1; i <= count; i++) await log.RecordAsync(Event(i));
        }
    }

    public string OnlyFile => Assert.Single(AuditLogFiles.List(Directory));

    public static List<string> Lines(string file) => [.. File.ReadAllText(file).Split('\n')[..^1]];

    public static void WriteLines(string file, IEnumerable<string> lines) => File.WriteAllText(file, string.Concat(lines.Select(l => l + "\n")));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

/// <summary>A clock the test sets, to make the log roll over to a new day's file.</summary>
internal sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
