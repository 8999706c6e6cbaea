using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services;

/// <summary>
/// An instance received by C-STORE: a complete Part 10 file (File Meta with the received transfer syntax, then the
/// data set bytes exactly as they arrived), flushed to disk. <paramref name="Principal"/> is the association's
/// <see cref="Association.DicomAssociation.Principal"/>: whom the instance is stored for.
/// </summary>
public sealed record ReceivedInstance(
    string FilePath,
    string SopClassUid,
    string SopInstanceUid,
    DicomTransferSyntax TransferSyntax,
    string CallingAeTitle,
    string CalledAeTitle,
    string AssociationId,
    long DataSetLength,
    object? Principal = null);

/// <summary>Takes over instances the Storage SCP received.</summary>
public interface IStoreHandler
{
    /// <summary>
    /// Stores the instance (typically by moving <see cref="ReceivedInstance.FilePath"/>) and returns the C-STORE status.
    /// The file is deleted after the call if it is still there.
    /// </summary>
    ValueTask<DimseStatus> StoreAsync(ReceivedInstance instance, CancellationToken ct);

    /// <summary>
    /// <see cref="StoreAsync"/> with an Error Comment (0000,0902) for the C-STORE-RSP; the Storage SCP calls this one.
    /// The default has no comment; a handler whose failures need explaining (which study, which conflict) implements it.
    /// </summary>
    async ValueTask<StoreResponse> StoreWithCommentAsync(ReceivedInstance instance, CancellationToken ct) =>
        new(await StoreAsync(instance, ct).ConfigureAwait(false));
}

/// <summary>A C-STORE status with the Error Comment to send with it (LO: at most 64 characters; longer is cut).</summary>
public readonly record struct StoreResponse(DimseStatus Status, string? ErrorComment = null);

/// <summary>
/// Files each instance as ROOT/&lt;Study Instance UID&gt;/&lt;Series Instance UID&gt;/&lt;SOP Instance UID&gt;.dcm;
/// <paramref name="stored"/> (if given) learns each final path, e.g. to index it for queries.
/// </summary>
public sealed class FolderStoreHandler(string root, Action<string>? stored = null) : IStoreHandler
{
    public string Root { get; } = Path.GetFullPath(root);

    public ValueTask<DimseStatus> StoreAsync(ReceivedInstance instance, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var header = DicomFile.Open(instance.FilePath, new DicomReadOptions { StopBeforePixelData = true });
        var study = SafeUid(header.Dataset.GetString(new DicomTag(0x0020, 0x000D)));
        var series = SafeUid(header.Dataset.GetString(new DicomTag(0x0020, 0x000E)));
        var directory = Path.Combine(Root, study, series);
        Directory.CreateDirectory(directory);
        // The instance was flushed to disk before this call; a rename within the file system makes it appear whole.
        var target = Path.Combine(directory, SafeUid(instance.SopInstanceUid) + ".dcm");
        File.Move(instance.FilePath, target, overwrite: true);
        stored?.Invoke(target);
        return ValueTask.FromResult(DimseStatus.Success);
    }

    // UIDs become path segments: only digits and dots (a hostile "../" must not escape the root).
    private static string SafeUid(string? uid) =>
        uid is { Length: > 0 and <= 64 } u && u.All(c => c is '.' or (>= '0' and <= '9')) && u.Trim('.').Length > 0 && !u.Contains("..", StringComparison.Ordinal)
            ? u
            : "unknown";
}
