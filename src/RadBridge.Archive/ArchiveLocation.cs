namespace RadBridge.Archive;

/// <summary>
/// Where an archive keeps its state: one data directory holding the stored files, the SQLite index (unless the index is
/// in PostgreSQL), the audit log, signing keys and the quarantine of files recovery could not index.
/// </summary>
public sealed class ArchiveLocation
{
    public ArchiveLocation(string dataDirectory, string? databaseConnectionString = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabaseConnectionString = string.IsNullOrWhiteSpace(databaseConnectionString) ? null : databaseConnectionString;
    }

    public string DataDirectory { get; }

    /// <summary>A PostgreSQL connection string, or null for the embedded SQLite index in <see cref="SqlitePath"/>.</summary>
    public string? DatabaseConnectionString { get; }

    public bool UsesPostgres => DatabaseConnectionString is not null;

    public string StorageRoot => Path.Combine(DataDirectory, "storage");

    /// <summary>Incoming bytes are written here first: the same file system as <see cref="StorageRoot"/>, so the final move is a rename.</summary>
    public string TempDirectory => Path.Combine(DataDirectory, "tmp");
    public string QuarantineDirectory => Path.Combine(DataDirectory, "quarantine");
    public string AuditDirectory => Path.Combine(DataDirectory, "audit");
    public string KeysDirectory => Path.Combine(DataDirectory, "keys");
    public string SqlitePath => Path.Combine(DataDirectory, "index.db");
    public string DemoCredentialsPath => Path.Combine(DataDirectory, "demo-credentials.txt");

    /// <summary>The data directory from <c>--data</c>, else <c>$RADBRIDGE_DATA</c>, else <c>./data</c>.</summary>
    public static string DefaultDataDirectory(string? given) =>
        !string.IsNullOrWhiteSpace(given) ? given
        : Environment.GetEnvironmentVariable("RADBRIDGE_DATA") is { Length: > 0 } env ? env
        : "data";

    /// <summary>Creates the directories (owner-only where they hold secrets).</summary>
    public void EnsureDirectories()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(StorageRoot);
        Directory.CreateDirectory(TempDirectory);
        Directory.CreateDirectory(QuarantineDirectory);
        Directory.CreateDirectory(AuditDirectory);
        if (!Directory.Exists(KeysDirectory))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(KeysDirectory);
            else Directory.CreateDirectory(KeysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
