using System.Runtime.InteropServices;

namespace RadBridge.Archive.Storage;

/// <summary>
/// Makes everything written so far under the archive's directories durable in one flush: the ingest's group commit
/// writes a batch's files, renames them into place, commits their index rows and appends their audit records without
/// flushing any of them, then crosses this barrier once before acknowledging the whole batch.
/// </summary>
/// <remarks>
/// <para>On Linux the barrier is <c>syncfs(2)</c> on each distinct file system holding those directories: the kernel
/// writes back the dirty data, commits the journal (which holds the renames and new directory entries) and flushes the
/// device cache — one device flush where per-file durability costs four (file, directory, index commit, audit), which
/// dominates ingest on a single association. The price: syncfs also flushes whatever else is dirty on that file system,
/// which is why the archive wants its data directory to itself in production.</para>
/// <para>Elsewhere (or when <c>RADBRIDGE_DURABILITY=files</c>), each file and directory named in the call is fsync'ed
/// instead.</para>
/// </remarks>
public sealed partial class DurabilityBarrier : IDisposable
{
    private readonly List<int> _fileSystems = [];
    private readonly bool _perFile;

    /// <param name="directories">Directories whose file systems the barrier flushes (they must exist).</param>
    public DurabilityBarrier(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _perFile = !OperatingSystem.IsLinux() ||
                   string.Equals(Environment.GetEnvironmentVariable("RADBRIDGE_DURABILITY"), "files", StringComparison.OrdinalIgnoreCase);
        if (_perFile) return;
        var devices = new HashSet<ulong>();
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            var fd = Open(directory, ORdOnly | ODirectory | OCloexec);
            if (fd < 0) throw new IOException($"cannot open {directory} for the durability barrier (errno {Marshal.GetLastPInvokeError()})");
            if (devices.Add(DeviceOf(fd, directory))) _fileSystems.Add(fd);
            else _ = Close(fd);
        }
    }

    /// <summary>Whether this barrier fsyncs the named files one by one (no syncfs here).</summary>
    public bool PerFile => _perFile;

    /// <summary>
    /// Returns once every write made before the call to the barrier's file systems is on disk. With per-file flushing
    /// only <paramref name="files"/> and <paramref name="directories"/> are flushed: callers name every file and every
    /// directory whose entries they created or renamed.
    /// </summary>
    public void Cross(IEnumerable<string> files, IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(directories);
        if (!_perFile)
        {
            foreach (var fd in _fileSystems)
            {
                if (SyncFs(fd) != 0) throw new IOException($"syncfs failed (errno {Marshal.GetLastPInvokeError()}): the batch is not durable");
            }
            return;
        }
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
            stream.Flush(flushToDisk: true);
        }
        foreach (var directory in directories) DurableFiles.SyncDirectory(directory);
    }

    public void Dispose()
    {
        foreach (var fd in _fileSystems) _ = Close(fd);
        _fileSystems.Clear();
    }

    // st_dev is the first field of struct stat on Linux x86-64 and arm64 (glibc), 8 bytes wide.
    private static ulong DeviceOf(int fd, string directory)
    {
        Span<byte> stat = stackalloc byte[256];
        if (Fstat(fd, ref MemoryMarshal.GetReference(stat)) != 0)
        {
            throw new IOException($"fstat of {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        return MemoryMarshal.Read<ulong>(stat);
    }

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64 and arm64 values.
    private const int OCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int Fstat(int fd, ref byte stat);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
