using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;

namespace RadBridge.Archive.Ingest;

/// <summary>
/// Takes a received instance (a complete Part 10 file, written but not necessarily flushed, in the archive's temp
/// directory) into the archive: checks it, renames it into the store, commits its index row, makes all of that durable,
/// and only then reports success. Used by the archive's C-STORE SCP and by STOW-RS alike.
/// </summary>
/// <remarks>
/// <para>Order: rename into place → index row committed (group commit of concurrent ingests, <see cref="IndexWriter"/>)
/// → audit record written → one <see cref="DurabilityBarrier"/> for the whole batch (file bytes, renames, index WAL and
/// audit records reach the disk together) → acknowledge.</para>
/// <para>A process crash (kill -9) loses nothing written: the page cache survives it. An OS crash or power loss before
/// the barrier completes can leave index rows of the unacknowledged batch whose files did not reach the disk: the writer
/// records the last row id known durable (<see cref="IngestBarrierMark"/>) and start-up recovery verifies the rows after
/// that mark, removing those whose file is not intact (never acknowledged) and quarantining files without rows.</para>
/// </remarks>
public sealed class ArchiveIngest : IAsyncDisposable
{
    private readonly ArchiveLocation _location;
    private readonly IDbContextFactory<ArchiveDbContext> _contexts;
    private readonly IAuditSink _audit;
    private readonly ILogger _logger;
    private readonly IndexWriter _writer;
    private readonly InstanceFileStore _store;
    private readonly DurabilityBarrier _barrier;
    private readonly IngestBarrierMark _mark;

    // Two stores of the same SOP Instance UID at once would race on its path: one at a time per UID (striped locks).
    private readonly SemaphoreSlim[] _uidLocks = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public ArchiveIngest(ArchiveLocation location, IDbContextFactory<ArchiveDbContext> contexts, IAuditSink audit, DuplicatePolicy duplicates = DuplicatePolicy.Reject, ILogger? logger = null)
    {
        _location = location ?? throw new ArgumentNullException(nameof(location));
        _contexts = contexts ?? throw new ArgumentNullException(nameof(contexts));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        Duplicates = duplicates;
        _logger = logger ?? NullLogger.Instance;
        _store = new InstanceFileStore(location);
        location.EnsureDirectories();
        var barrierDirectories = new List<string> { location.StorageRoot, location.AuditDirectory, location.DataDirectory };
        _barrier = new DurabilityBarrier(barrierDirectories);
        _mark = new IngestBarrierMark(location);
        _writer = new IndexWriter(contexts, _store, audit, _barrier, _mark, _logger);
    }

    public DuplicatePolicy Duplicates { get; }

    public InstanceFileStore Store => _store;

    /// <summary>A fresh path in the archive's temp directory for a receiver to write an incoming instance to.</summary>
    public string NewTempPath() => Path.Combine(_location.TempDirectory, $"in-{Guid.NewGuid():N}.dcm");

    /// <summary>
    /// Archives the flushed Part 10 file at <paramref name="tempFile"/> for <paramref name="source"/>. The temp file is
    /// moved or deleted in every outcome. Only a result that <see cref="IngestResult.Succeeded"/> may be acknowledged.
    /// </summary>
    public async Task<IngestResult> IngestAsync(string tempFile, IngestSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            var result = await IngestCoreAsync(tempFile, source, ct).ConfigureAwait(false);
            // Stored and replaced instances were audited by the index writer, inside their batch's barrier.
            if (result.Outcome is not (IngestOutcome.Stored or IngestOutcome.Replaced)) await AuditAsync(result, source, ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (File.Exists(tempFile)) File.Delete(tempFile);
        }
    }

    private async Task<IngestResult> IngestCoreAsync(string tempFile, IngestSource source, CancellationToken ct)
    {
        DicomFile header;
        try
        {
            // The whole structure, not only the header: a file cut short in its pixel data must not be archived and
            // served. Values over 4 KiB stay on disk (lazy), so this reads element and item headers, not pixel data.
            header = await DicomFile.OpenAsync(tempFile, new DicomReadOptions { LazyThreshold = 4096 }, ct).ConfigureAwait(false);
        }
        catch (DicomException ex)
        {
            return new IngestResult(IngestOutcome.Invalid, null, $"not a readable DICOM instance: {ex.Message}");
        }
        var (attributes, problem) = InstanceAttributes.From(header);
        if (attributes is null) return new IngestResult(IngestOutcome.Invalid, null, problem);

        var hash = await DataSetHash.ComputeAsync(tempFile, ct).ConfigureAwait(false);
        var size = new FileInfo(tempFile).Length;
        var gate = _uidLocks[(uint)StringComparer.Ordinal.GetHashCode(attributes.SopInstanceUid) % (uint)_uidLocks.Length];
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            InstanceRecord? existing;
            int? studyOwner;
            var db = await _contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                existing = await db.Instances.FirstOrDefaultAsync(i => i.SopInstanceUid == attributes.SopInstanceUid, ct).ConfigureAwait(false);
                studyOwner = await db.Studies.Where(s => s.StudyInstanceUid == attributes.StudyInstanceUid).Select(s => (int?)s.OrganizationId).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            }
            if (studyOwner is { } owner && owner != source.OrganizationId)
            {
                return new IngestResult(IngestOutcome.Forbidden, attributes, $"study {attributes.StudyInstanceUid} belongs to another organisation");
            }
            if (existing is not null)
            {
                if (string.Equals(existing.DataSetSha256, hash, StringComparison.Ordinal)) return new IngestResult(IngestOutcome.AlreadyStored, attributes, null);
                if (Duplicates == DuplicatePolicy.Reject)
                {
                    return new IngestResult(IngestOutcome.Conflict, attributes, $"SOP Instance {attributes.SopInstanceUid} is already stored with different content");
                }
            }

            var relative = InstanceFileStore.RelativePathFor(attributes.StudyInstanceUid, attributes.SeriesInstanceUid, attributes.SopInstanceUid);
            if (existing is not null) KeepReplaced(existing);
            // The bytes and the rename are made durable by the index writer's barrier, once for its whole batch.
            DurableFiles.MoveIntoPlace(tempFile, _store.FullPath(relative), overwrite: true, syncDirectory: false);
            var row = new InstanceRecord
            {
                SopInstanceUid = attributes.SopInstanceUid,
                SopClassUid = attributes.SopClassUid,
                InstanceNumber = attributes.InstanceNumber,
                TransferSyntaxUid = attributes.TransferSyntaxUid,
                Rows = attributes.Rows,
                Columns = attributes.Columns,
                BitsAllocated = attributes.BitsAllocated,
                NumberOfFrames = attributes.NumberOfFrames,
                StoragePath = relative,
                FileSize = size,
                DataSetSha256 = hash,
                ReceivedAt = DateTimeOffset.UtcNow,
            };
            try
            {
                await _writer.WriteAsync(new PendingInstance(source, attributes, row, existing?.Id), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or IndexConflictException)
            {
                // Not acknowledged: take the file back out so that files and index agree (the sender still has it).
                if (existing is null) TryDelete(_store.FullPath(relative));
                _logger.LogError(ex, "index commit failed for {Sop}", attributes.SopInstanceUid);
                return ex is IndexConflictException conflict
                    ? new IngestResult(IngestOutcome.Forbidden, attributes, conflict.Message)
                    : new IngestResult(IngestOutcome.Invalid, attributes, $"index update failed: {ex.GetBaseException().Message}");
            }
            return new IngestResult(existing is null ? IngestOutcome.Stored : IngestOutcome.Replaced, attributes, null);
        }
        finally
        {
            gate.Release();
        }
    }

    // KeepNewest: the replaced file goes to quarantine/replaced/, never silently deleted.
    private void KeepReplaced(InstanceRecord existing)
    {
        var from = _store.FullPath(existing.StoragePath);
        if (!File.Exists(from)) return;
        var to = Path.Combine(_location.QuarantineDirectory, "replaced", $"{existing.SopInstanceUid}.{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}.dcm");
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for recovery to quarantine.
        }
    }

    private ValueTask AuditAsync(IngestResult result, IngestSource source, CancellationToken ct) =>
        _audit.RecordAsync(StoreEvent(result, source), ct);

    private static AuditEvent StoreEvent(IngestResult result, IngestSource source) =>
        new()
        {
            Actor = source.Actor,
            OrganizationId = source.OrganizationId,
            Action = AuditActions.Store,
            Channel = source.Channel,
            RemoteAddress = source.RemoteAddress,
            StudyInstanceUid = result.Attributes?.StudyInstanceUid,
            SeriesInstanceUid = result.Attributes?.SeriesInstanceUid,
            SopInstanceUid = result.Attributes?.SopInstanceUid,
            Outcome = result.Succeeded ? "success" : "failure",
            Detail = result.Succeeded ? result.Outcome.ToString() : $"{result.Outcome}: {result.Problem}",
        };

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _barrier.Dispose();
        _mark.Dispose();
    }

    internal sealed record PendingInstance(IngestSource Source, InstanceAttributes Attributes, InstanceRecord Row, long? ReplacesId)
    {
        public int OrganizationId => Source.OrganizationId;
    }

    internal sealed class IndexConflictException(string message) : Exception(message);

    /// <summary>
    /// Group commit: concurrent ingests hand their rows to one writer loop, which commits every row waiting at that
    /// moment in one transaction — one disk flush for many instances — and then completes each waiter.
    /// </summary>
    private sealed class IndexWriter : IAsyncDisposable
    {
        private readonly IDbContextFactory<ArchiveDbContext> _contexts;
        private readonly ILogger _logger;
        private readonly System.Threading.Channels.Channel<(PendingInstance Item, TaskCompletionSource Done)> _queue =
            System.Threading.Channels.Channel.CreateUnbounded<(PendingInstance, TaskCompletionSource)>(new() { SingleReader = true });
        private readonly Task _loop;

        private readonly InstanceFileStore _store;
        private readonly IAuditSink _audit;
        private readonly DurabilityBarrier _barrier;
        private readonly IngestBarrierMark _mark;

        public IndexWriter(IDbContextFactory<ArchiveDbContext> contexts, InstanceFileStore store, IAuditSink audit, DurabilityBarrier barrier, IngestBarrierMark mark, ILogger logger)
        {
            _contexts = contexts;
            _store = store;
            _audit = audit;
            _barrier = barrier;
            _mark = mark;
            _logger = logger;
            _loop = Task.Run(RunAsync);
        }

        public Task WriteAsync(PendingInstance item, CancellationToken ct)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_queue.Writer.TryWrite((item, done))) throw new InvalidOperationException("the archive is shutting down");
            // The caller may stop waiting, but the write itself is not cancelled: the file is already in place.
            return done.Task.WaitAsync(ct);
        }

        private async Task RunAsync()
        {
            await StartMarkAsync().ConfigureAwait(false);
            var batch = new List<(PendingInstance Item, TaskCompletionSource Done)>(256);
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 256 && _queue.Reader.TryRead(out var next)) batch.Add(next);
                try
                {
                    await CommitDurablyAsync(batch.Select(b => b.Item).ToList()).ConfigureAwait(false);
                    foreach (var b in batch) b.Done.TrySetResult();
                }
                catch (Exception ex) when (batch.Count > 1)
                {
                    // One bad row must not fail its neighbours: retry each alone.
                    _logger.LogWarning(ex, "group commit of {Count} instances failed; committing one by one", batch.Count);
                    foreach (var b in batch)
                    {
                        try
                        {
                            await CommitDurablyAsync([b.Item]).ConfigureAwait(false);
                            b.Done.TrySetResult();
                        }
                        catch (Exception single)
                        {
                            b.Done.TrySetException(single);
                        }
                    }
                }
                catch (Exception ex)
                {
                    foreach (var b in batch) b.Done.TrySetException(ex);
                }
            }
        }

        /// <summary>
        /// Commit the rows, write their audit records, then cross the barrier: after it, files, renames, rows and audit
        /// records are all on disk, and the batch may be acknowledged.
        /// </summary>
        private async Task CommitDurablyAsync(List<PendingInstance> items)
        {
            await CommitAsync(items).ConfigureAwait(false);
            var audits = new List<Task>(items.Count);
            foreach (var item in items)
            {
                var outcome = item.ReplacesId is null ? IngestOutcome.Stored : IngestOutcome.Replaced;
                var record = StoreEvent(new IngestResult(outcome, item.Attributes, null), item.Source);
                // Per-file flushing cannot cover the audit log: its records are then flushed on their own.
                audits.Add(_barrier.PerFile ? _audit.RecordAsync(record).AsTask() : _audit.RecordBeforeBarrierAsync(record).AsTask());
            }
            await Task.WhenAll(audits).ConfigureAwait(false);
            CrossBarrier(items);
            // Rows up to this batch's last id are durable now (ids grow with each commit of this single writer). The mark
            // reaches the disk with the next barrier or the kernel's writeback: until then the disk holds a lower value,
            // so recovery may check more rows than needed, never fewer.
            _durableThroughId = Math.Max(_durableThroughId, items.Max(i => i.Row.Id));
            _mark.Write(_durableThroughId, flushToDisk: _barrier.PerFile);
        }

        private long _durableThroughId;

        // Every row present when the archive starts is durable (a clean stop, or recovery verified what was above the
        // mark): the mark starts at the highest id, flushed once, so recovery after a later crash checks only new rows.
        private async Task StartMarkAsync()
        {
            try
            {
                var db = await _contexts.CreateDbContextAsync().ConfigureAwait(false);
                await using (db.ConfigureAwait(false))
                {
                    _durableThroughId = await db.Instances.MaxAsync(i => (long?)i.Id).ConfigureAwait(false) ?? 0;
                }
                _mark.Write(_durableThroughId, flushToDisk: true);
            }
            catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException)
            {
                // The mark stays lower than the truth: recovery would verify more rows than needed, never fewer.
                _logger.LogWarning(ex, "could not record the ingest mark at start");
            }
        }

        // With per-file flushing (no syncfs), each file, and the series, study and fan-out directories that may have just
        // been created, are flushed by name.
        private void CrossBarrier(List<PendingInstance> items)
        {
            if (!_barrier.PerFile)
            {
                _barrier.Cross([], []);
                return;
            }
            var files = items.Select(i => _store.FullPath(i.Row.StoragePath)).ToList();
            var series = files.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal).ToList();
            var study = series.Select(d => Path.GetDirectoryName(d)!).Distinct(StringComparer.Ordinal).ToList();
            var fan = study.Select(d => Path.GetDirectoryName(d)!).Distinct(StringComparer.Ordinal).ToList();
            _barrier.Cross(files, series.Concat(study).Concat(fan));
        }

        private async Task CommitAsync(IReadOnlyList<PendingInstance> items)
        {
            var db = await _contexts.CreateDbContextAsync().ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.TrackAll;
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                // SQLite: this connection's commit need not fsync the WAL itself — the barrier that follows flushes it
                // with the batch's files. Restored before the connection goes back to the pool, where other writers
                // (accounts, workflow) rely on synchronous=FULL.
                var sqlite = db.Database.IsSqlite() && !_barrier.PerFile;
                if (sqlite)
                {
                    await db.Database.OpenConnectionAsync().ConfigureAwait(false);
                    await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL").ConfigureAwait(false);
                }
                try
                {
                    var tx = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        var batch = new BatchState(db);
                        foreach (var item in items) await ApplyAsync(batch, item).ConfigureAwait(false);
                        db.ChangeTracker.DetectChanges();
                        await db.SaveChangesAsync().ConfigureAwait(false);
                        await tx.CommitAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (sqlite)
                    {
                        await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL").ConfigureAwait(false);
                        await db.Database.CloseConnectionAsync().ConfigureAwait(false);
                    }
                }
            }
        }

        private sealed class BatchState(ArchiveDbContext db)
        {
            public ArchiveDbContext Db { get; } = db;
            public Dictionary<(int, string), PatientRecord> Patients { get; } = [];
            public Dictionary<string, StudyRecord> Studies { get; } = new(StringComparer.Ordinal);
            public Dictionary<string, SeriesRecord> Series { get; } = new(StringComparer.Ordinal);
            public HashSet<long> TouchedSeries { get; } = [];
        }

        private static async Task ApplyAsync(BatchState batch, PendingInstance item)
        {
            var db = batch.Db;
            var a = item.Attributes;
            var now = DateTimeOffset.UtcNow;
            var patientKey = (item.OrganizationId, a.PatientId ?? "");
            if (!batch.Patients.TryGetValue(patientKey, out var patient))
            {
                patient = await db.Patients.FirstOrDefaultAsync(p => p.OrganizationId == item.OrganizationId && p.PatientId == patientKey.Item2).ConfigureAwait(false);
                if (patient is null)
                {
                    patient = new PatientRecord { OrganizationId = item.OrganizationId, PatientId = patientKey.Item2 };
                    db.Patients.Add(patient);
                }
                batch.Patients[patientKey] = patient;
            }
            patient.PatientName = a.PatientName ?? patient.PatientName;
            patient.PatientNameFolded = a.PatientNameFolded ?? patient.PatientNameFolded;
            patient.BirthDate = a.PatientBirthDate ?? patient.BirthDate;
            patient.Sex = a.PatientSex ?? patient.Sex;

            if (!batch.Studies.TryGetValue(a.StudyInstanceUid, out var study))
            {
                study = await db.Studies.FirstOrDefaultAsync(s => s.StudyInstanceUid == a.StudyInstanceUid).ConfigureAwait(false);
                if (study is null)
                {
                    study = new StudyRecord { StudyInstanceUid = a.StudyInstanceUid, OrganizationId = item.OrganizationId, CreatedAt = now };
                    db.Studies.Add(study);
                    patient.NumberOfStudies++;
                }
                else if (study.OrganizationId != item.OrganizationId)
                {
                    throw new IndexConflictException($"study {a.StudyInstanceUid} belongs to another organisation");
                }
                batch.Studies[a.StudyInstanceUid] = study;
            }
            study.Patient = patient;
            study.StudyDate ??= a.StudyDate;
            study.StudyTime ??= a.StudyTime;
            study.AccessionNumber ??= a.AccessionNumber;
            study.StudyId ??= a.StudyId;
            study.StudyDescription ??= a.StudyDescription;
            study.ReferringPhysicianName ??= a.ReferringPhysicianName;
            study.ReferringPhysicianNameFolded ??= a.ReferringPhysicianNameFolded;
            study.PatientId = patient.PatientId;
            study.PatientName = a.PatientName ?? study.PatientName;
            study.PatientNameFolded = a.PatientNameFolded ?? study.PatientNameFolded;
            study.PatientBirthDate = a.PatientBirthDate ?? study.PatientBirthDate;
            study.PatientSex = a.PatientSex ?? study.PatientSex;
            study.SpecificCharacterSet ??= a.SpecificCharacterSet;
            study.UpdatedAt = now;
            study.ModalitiesInStudy = AddDistinct(study.ModalitiesInStudy, a.Modality);
            study.SopClassesInStudy = AddDistinct(study.SopClassesInStudy, a.SopClassUid);

            if (!batch.Series.TryGetValue(a.SeriesInstanceUid, out var series))
            {
                series = await db.Series.FirstOrDefaultAsync(s => s.SeriesInstanceUid == a.SeriesInstanceUid).ConfigureAwait(false);
                if (series is null)
                {
                    series = new SeriesRecord { SeriesInstanceUid = a.SeriesInstanceUid, Study = study };
                    db.Series.Add(series);
                    study.NumberOfSeries++;
                }
                batch.Series[a.SeriesInstanceUid] = series;
            }
            series.Modality ??= a.Modality;
            series.SeriesNumber ??= a.SeriesNumber;
            series.SeriesDescription ??= a.SeriesDescription;
            series.BodyPartExamined ??= a.BodyPartExamined;
            series.SeriesDate ??= a.SeriesDate;
            series.SeriesTime ??= a.SeriesTime;
            series.PerformedProcedureStepStartDate ??= a.PerformedProcedureStepStartDate;
            series.PerformedProcedureStepStartTime ??= a.PerformedProcedureStepStartTime;
            series.UpdatedAt = now;

            if (item.ReplacesId is { } replaced)
            {
                var old = await db.Instances.FirstAsync(i => i.Id == replaced).ConfigureAwait(false);
                db.Instances.Remove(old);
                await DecrementAsync(db, old).ConfigureAwait(false);
            }
            series.NumberOfInstances++;
            study.NumberOfInstances++;
            batch.TouchedSeries.Add(series.Id);
            item.Row.Series = series;
            item.Row.Study = study;
            db.Instances.Add(item.Row);
            if (series.Id != 0) await db.SeriesMetadata.Where(m => m.SeriesId == series.Id).ExecuteDeleteAsync().ConfigureAwait(false);
        }

        private static async Task DecrementAsync(ArchiveDbContext db, InstanceRecord old)
        {
            var s = await db.Series.FirstAsync(x => x.Id == old.SeriesId).ConfigureAwait(false);
            s.NumberOfInstances--;
            var st = await db.Studies.FirstAsync(x => x.Id == old.StudyId).ConfigureAwait(false);
            st.NumberOfInstances--;
        }

        private static string? AddDistinct(string? list, string? value)
        {
            if (string.IsNullOrEmpty(value)) return list;
            if (string.IsNullOrEmpty(list)) return value;
            var values = list.Split('\\');
            if (values.Contains(value, StringComparer.Ordinal)) return list;
            return string.Join('\\', values.Append(value).Order(StringComparer.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            await _loop.ConfigureAwait(false);
        }
    }
}
