import { useRef, useState, type DragEvent } from 'react';
import { useI18n } from '../i18n';
import { filesFromDrop, filesFromInput, isDicomPart10, type PickedFile } from '../upload/collectFiles';
import { uploadFiles, type StowProgress } from '../upload/stow';

interface Failure {
  file: PickedFile;
  reason: string;
}

type Phase = 'idle' | 'checking' | 'sending' | 'done' | 'aborted';

/** Upload of a study folder: drop it or pick it; STOW-RS in batches with progress; "retry failed" resends only those. */
export function UploadPanel({ onStudies }: { onStudies: (uids: string[]) => void }) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<StowProgress | null>(null);
  const [stored, setStored] = useState(0);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [failures, setFailures] = useState<Failure[]>([]);
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);

  const send = async (files: PickedFile[], fresh: boolean) => {
    if (fresh) {
      setStored(0);
      setSkipped([]);
    }
    setFailures([]);
    setPhase('checking');
    const dicom: PickedFile[] = [];
    const notDicom: string[] = [];
    for (const f of files) {
      if (await isDicomPart10(f.file)) dicom.push(f);
      else notDicom.push(f.path);
    }
    setSkipped((s) => [...s, ...notDicom]);
    if (dicom.length === 0) {
      setPhase('done');
      return;
    }
    setPhase('sending');
    const controller = new AbortController();
    abort.current = controller;
    const failed: Failure[] = [];
    try {
      const studies = await uploadFiles(
        dicom,
        setProgress,
        (file, outcome) => {
          if (outcome.ok) setStored((n) => n + 1);
          else failed.push({ file, reason: outcome.reason });
        },
        controller.signal,
      );
      setFailures(failed);
      setPhase('done');
      if (studies.size > 0) onStudies([...studies]);
    } catch {
      setFailures(failed);
      setPhase('aborted');
    } finally {
      abort.current = null;
    }
  };

  const drop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (phase === 'sending' || phase === 'checking') return;
    void send(await filesFromDrop(e.dataTransfer.items), true);
  };

  const busy = phase === 'sending' || phase === 'checking';
  const percent = progress && progress.totalBytes > 0 ? Math.round((100 * progress.sentBytes) / progress.totalBytes) : 0;
  return (
    <section className="upload" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('upload.title')}</h2>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void drop(e)}
      >
        <p>{t('upload.drop')}</p>
        <div className="button-row">
          <button type="button" disabled={busy} onClick={() => folderInput.current?.click()}>{t('upload.pickFolder')}</button>
          <button type="button" disabled={busy} onClick={() => filesInput.current?.click()}>{t('upload.pickFiles')}</button>
        </div>
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          {...{ webkitdirectory: '' }}
          aria-label={t('upload.pickFolder')}
          onChange={(e) => e.target.files && void send(filesFromInput(e.target.files), true)}
        />
        <input
          ref={filesInput}
          type="file"
          hidden
          multiple
          data-testid="upload-files"
          aria-label={t('upload.pickFiles')}
          onChange={(e) => e.target.files && void send(filesFromInput(e.target.files), true)}
        />
      </div>
      {phase === 'checking' && <p role="status">{t('upload.checking')}</p>}
      {progress && phase !== 'idle' && phase !== 'checking' && (
        <div className="upload-progress">
          <progress max={100} value={percent} aria-label={t('upload.progress')} />
          <span role="status">
            {t('upload.counts', { done: progress.doneFiles, total: progress.totalFiles, percent })}
          </span>
          {busy && <button type="button" onClick={() => abort.current?.abort()}>{t('upload.stop')}</button>}
        </div>
      )}
      {(phase === 'done' || phase === 'aborted') && (
        <p role="status" className={failures.length > 0 || phase === 'aborted' ? 'warning' : 'ok'}>
          {phase === 'aborted' ? t('upload.aborted') : t('upload.result', { stored, failed: failures.length })}
        </p>
      )}
      {skipped.length > 0 && (
        <details>
          <summary>{t('upload.skipped', { count: skipped.length })}</summary>
          <ul className="file-list">{skipped.slice(0, 200).map((p) => <li key={p}>{p}</li>)}</ul>
        </details>
      )}
      {failures.length > 0 && (
        <div className="failures">
          <h3>{t('upload.failedTitle', { count: failures.length })}</h3>
          <ul className="file-list">
            {failures.map((f) => (
              <li key={f.file.path}>
                <code>{f.file.path}</code> — {f.reason || t('upload.networkError')}
              </li>
            ))}
          </ul>
          <button type="button" className="primary" disabled={busy} onClick={() => void send(failures.map((f) => f.file), false)}>
            {t('upload.retryFailed', { count: failures.length })}
          </button>
        </div>
      )}
    </section>
  );
}
