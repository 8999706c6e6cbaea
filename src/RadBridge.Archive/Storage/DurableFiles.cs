using System.Runtime.InteropServices;

namespace RadBridge.Archive.Storage;

/// <summary>
/// The three steps that make a write survive a crash: flush the file's bytes to disk, rename it into place (atomic within
/// one file system), then flush the directory so the rename itself is on disk.
/// </summary>
public static partial class DurableFiles
{
    /// <summary>
    /// Moves an already flushed file to <paramref name="target"/> and makes the new name durable — or leaves that to the
    /// caller (<paramref name="syncDirectory"/> false), who must <see cref="SyncDirectory"/> before relying on it.
    /// </summary>
    public static void MoveIntoPlace(string flushedSource, string target, bool overwrite, bool syncDirectory = true)
    {
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        File.Move(flushedSource, target, overwrite);
        if (syncDirectory) SyncDirectory(directory);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="target"/> through a flushed temp file and a rename.</summary>
    public static void WriteAllBytes(string target, ReadOnlySpan<byte> bytes, UnixFileMode? mode = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (mode is { } m && !OperatingSystem.IsWindows()) options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            MoveIntoPlace(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>fsync(2) of a directory, so entries created or renamed in it survive a power loss. No-op off Unix.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64 and arm64 value of O_DIRECTORY.

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
