using Microsoft.Extensions.Logging;
using RadBridge.Archive.Ingest;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Takes the instances of one STOW-RS request into the archive: each part is streamed to its own file in the archive's
/// temp directory (never held in memory), flushed to disk, and handed to <see cref="ArchiveIngest"/> on the thread pool
/// while the next part is read. At most <see cref="MaxInFlight"/> instances are between "being received" and "ingested",
/// which bounds temp disk use and lets a fast client overlap its upload with our fsyncs and index commits.
/// </summary>
public sealed partial class StowInstanceReceiver : IDisposable
{
    /// <summary>Instances in progress at once per request (written, flushed, checked, indexed).</summary>
    public const int MaxInFlight = 4;

    private const int CopyBufferSize = 64 * 1024;

    // Enough for the preamble, "DICM" and the first element header: tells a PS3.10 file from a bare data set.
    private const int HeadLength = 136;

    private readonly ArchiveIngest _ingest;
    private readonly IngestSource _source;
    private readonly string? _requiredStudy;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly List<Task<StowInstanceResult>> _pending = [];
    private readonly List<StowInstanceResult> _immediate = [];

    /// <summary>A receiver storing for <paramref name="source"/>; with a study (a <c>/studies/{study}</c> request), instances of any other study fail.</summary>
    public StowInstanceReceiver(ArchiveIngest ingest, IngestSource source, string? requiredStudy, ILogger logger)
    {
        _ingest = ingest ?? throw new ArgumentNullException(nameof(ingest));
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _requiredStudy = requiredStudy;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Parts handed over so far.</summary>
    public int Count => _pending.Count + _immediate.Count;

    /// <summary>A fresh temp file path in the archive's temp directory (same file system as the store).</summary>
    public string NewTempPath() => _ingest.NewTempPath();

    /// <summary>
    /// Copies one part's body to a temp file and starts its ingest; returns when the part has been read (the ingest goes
    /// on). A failure to read the request body propagates (the multipart body is broken); a failure to write the temp
    /// file fails only this instance (out of resources) and the rest of the part is skipped.
    /// </summary>
    public async Task AcceptAsync(Stream partBody, int part, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(partBody);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        var temp = _ingest.NewTempPath();
        FileStream? file = null;
        byte[] head;
        try
        {
            try
            {
                file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 });
            }
            catch (IOException ex)
            {
                throw new TempFileWriteException(ex);
            }
            head = await CopyAsync(partBody, file, ct).ConfigureAwait(false);
        }
        catch (TempFileWriteException ex)
        {
            await DisposeQuietlyAsync(file).ConfigureAwait(false);
            TryDelete(temp);
            _slots.Release();
            _immediate.Add(StowInstanceResult.Failure(part, StowFailureReasons.OutOfResources, $"part {part}: the instance could not be written to disk: {ex.InnerException?.Message}"));
            await DrainAsync(partBody, ct).ConfigureAwait(false);
            return;
        }
        catch
        {
            await DisposeQuietlyAsync(file).ConfigureAwait(false);
            TryDelete(temp);
            _slots.Release();
            throw;
        }
        _pending.Add(Task.Run(() => FinishAsync(file, temp, head, part)));
    }

    /// <summary>Starts the ingest of a PS3.10 file already written and flushed in the temp directory (built from DICOM JSON).</summary>
    public async Task AcceptFileAsync(string flushedTempFile, int part, CancellationToken ct)
    {
        try
        {
            await _slots.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryDelete(flushedTempFile);
            throw;
        }
        _pending.Add(Task.Run(() => FinishAsync(null, flushedTempFile, null, part)));
    }

    /// <summary>Records an instance that failed before it reached the archive (e.g. a DICOM JSON data set that cannot be built).</summary>
    public void AddFailure(StowInstanceResult failure) => _immediate.Add(failure);

    /// <summary>Waits for every started ingest; the results in part order.</summary>
    public async Task<IReadOnlyList<StowInstanceResult>> CompleteAsync()
    {
        var done = await Task.WhenAll(_pending).ConfigureAwait(false);
        return [.. done.Concat(_immediate).OrderBy(r => r.Part)];
    }

    private async Task<StowInstanceResult> FinishAsync(FileStream? file, string temp, byte[]? head, int part)
    {
        string? normalized = null;
        try
        {
            if (file is not null)
            {
                // Written, not flushed: ArchiveIngest's barrier makes it durable with its batch before any acknowledgement.
                file.Flush(flushToDisk: false);
                await file.DisposeAsync().ConfigureAwait(false);
                file = null;
            }
            var isPart10 = head is null || IsPart10(head);
            if (!isPart10 || _requiredStudy is not null)
            {
                DicomFile? header = null;
                try
                {
                    header = await DicomFile.OpenAsync(temp, new DicomReadOptions { StopBeforePixelData = true }).ConfigureAwait(false);
                }
                catch (DicomException)
                {
                    // Unreadable: ArchiveIngest reports it as invalid, with the reader's message.
                }
                if (header is not null)
                {
                    if (_requiredStudy is not null && header.Dataset.GetString(DicomTags.StudyInstanceUID) is { Length: > 0 } study &&
                        !string.Equals(study, _requiredStudy, StringComparison.Ordinal))
                    {
                        return StowInstanceResult.Failure(part, StowFailureReasons.StudyInstanceUidMismatch,
                            $"part {part}: the instance belongs to study {study}, not to {_requiredStudy} named in the URL", header.Dataset);
                    }
                    if (!isPart10 && header.FileMetaInformation.Count == 0)
                    {
                        normalized = _ingest.NewTempPath();
                        await Part10Files.AddFileMetaAsync(temp, normalized, header).ConfigureAwait(false);
                    }
                }
            }
            var result = await _ingest.IngestAsync(normalized ?? temp, _source, CancellationToken.None).ConfigureAwait(false);
            return Map(result, part);
        }
        catch (IOException ex)
        {
            LogInstanceFailed(_logger, ex, part);
            return StowInstanceResult.Failure(part, StowFailureReasons.OutOfResources, $"part {part}: the instance could not be stored: {ex.Message}");
        }
#pragma warning disable CA1031 // One instance's unexpected failure must fail that instance, not the request or its neighbours.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogInstanceFailed(_logger, ex, part);
            return StowInstanceResult.Failure(part, StowFailureReasons.ProcessingFailure, $"part {part}: processing failure: {ex.Message}");
        }
        finally
        {
            if (file is not null) await DisposeQuietlyAsync(file).ConfigureAwait(false);
            TryDelete(temp);
            if (normalized is not null) TryDelete(normalized);
            _slots.Release();
        }
    }

    /// <summary>Call only after <see cref="CompleteAsync"/>: the slots are in use until every ingest finished.</summary>
    public void Dispose() => _slots.Dispose();

    /// <summary>The archive's outcome as a STOW-RS result (PS3.18 Table I.2-2 plus the codes of <see cref="StowFailureReasons"/>).</summary>
    internal static StowInstanceResult Map(IngestResult result, int part)
    {
        var a = result.Attributes;
        ushort? reason = result.Outcome switch
        {
            IngestOutcome.Stored or IngestOutcome.AlreadyStored or IngestOutcome.Replaced => null,
            IngestOutcome.Conflict => StowFailureReasons.DuplicateSopInstance,
            IngestOutcome.Forbidden => StowFailureReasons.NotAuthorized,
            // Invalid with attributes read means the file was fine but the index refused it.
            IngestOutcome.Invalid when a is not null => StowFailureReasons.ProcessingFailure,
            _ => StowFailureReasons.CannotUnderstand,
        };
        var problem = reason is null ? null : $"part {part}: {result.Problem ?? result.Outcome.ToString()}";
        return new StowInstanceResult(part, a?.SopClassUid, a?.SopInstanceUid, a?.StudyInstanceUid, a?.SeriesInstanceUid, reason, problem);
    }

    /// <summary>A PS3.10 file: "DICM" after the 128-byte preamble, followed by a group 0002 element.</summary>
    internal static bool IsPart10(ReadOnlySpan<byte> head) =>
        head.Length >= HeadLength && head.Slice(128, 4).SequenceEqual("DICM"u8) && head[132] == 0x02 && head[133] == 0x00;

    private static async Task<byte[]> CopyAsync(Stream from, FileStream to, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        var head = new byte[HeadLength];
        var headFilled = 0;
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct).ConfigureAwait(false);
                if (n == 0) break;
                if (headFilled < HeadLength)
                {
                    var take = Math.Min(n, HeadLength - headFilled);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headFilled));
                    headFilled += take;
                }
                try
                {
                    await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new TempFileWriteException(ex);
                }
            }
            return headFilled == HeadLength ? head : head[..headFilled];
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task DrainAsync(Stream from, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (await from.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct).ConfigureAwait(false) > 0)
            {
                // Discarding the rest of a part that could not be stored, to reach the next one.
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task DisposeQuietlyAsync(FileStream? file)
    {
        if (file is null) return;
        try
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The file is deleted next; a failed final write does not matter.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left in the temp directory; start-up recovery clears it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW part {Part} failed")]
    private static partial void LogInstanceFailed(ILogger logger, Exception ex, int part);

    /// <summary>Writing the temp file failed (disk full, I/O error): the instance fails, the request goes on.</summary>
    private sealed class TempFileWriteException(IOException inner) : Exception(inner.Message, inner);
}
