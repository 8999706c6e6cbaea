import { getAccessToken } from '../auth/session';
import type { PickedFile } from './collectFiles';

export type FileOutcome = { ok: true } | { ok: false; reason: string };

export interface StowProgress {
  /** Bytes of the files sent so far (finished batches plus the current one's progress). */
  sentBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
}

const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_FILES = 50;

/** Splits files into STOW requests of at most ~16 MB or 50 files: a failure costs one batch, and progress moves. */
export function batches(files: PickedFile[]): PickedFile[][] {
  const out: PickedFile[][] = [];
  let current: PickedFile[] = [];
  let bytes = 0;
  for (const f of files) {
    if (current.length > 0 && (bytes + f.file.size > BATCH_BYTES || current.length >= BATCH_FILES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(f);
    bytes += f.file.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

interface BatchResult {
  status: number;
  /** The server's reasons (Warning headers, or the Problem Details of a refused request). */
  reasons: string[];
  /** Studies that instances were stored into (from the Retrieve URLs of the response). */
  studies: string[];
}

/**
 * One STOW-RS request, `multipart/related; type="application/dicom"`, built from the File objects as a Blob (the
 * browser streams them from disk; nothing is read into memory here). XHR rather than fetch for upload progress.
 */
function postBatch(files: PickedFile[], onBytes: (sent: number) => void, signal: AbortSignal): Promise<BatchResult> {
  const boundary = `radbridge-${crypto.randomUUID()}`;
  const parts: BlobPart[] = [];
  for (const f of files) {
    parts.push(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, f.file, '\r\n');
  }
  parts.push(`--${boundary}--\r\n`);
  const body = new Blob(parts);
  return getAccessToken().then(
    (token) =>
      new Promise<BatchResult>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', '/dicomweb/studies');
        xhr.setRequestHeader('Content-Type', `multipart/related; type="application/dicom"; boundary=${boundary}`);
        xhr.setRequestHeader('Accept', 'application/dicom+json');
        if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        xhr.upload.onprogress = (e) => onBytes(Math.min(e.loaded, body.size));
        xhr.onload = () => resolve({ status: xhr.status, reasons: reasonsOf(xhr), studies: studiesOf(xhr) });
        xhr.onerror = () => resolve({ status: 0, reasons: [], studies: [] });
        xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
        signal.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.send(body);
      }),
  );
}

/** Study UIDs out of the Referenced SOP Sequence's Retrieve URLs (…/studies/{uid}/series/…). */
function studiesOf(xhr: XMLHttpRequest): string[] {
  if (!xhr.getResponseHeader('Content-Type')?.includes('dicom+json')) return [];
  try {
    const ds = JSON.parse(xhr.responseText) as Record<string, { Value?: Record<string, { Value?: string[] }>[] }>;
    const out = new Set<string>();
    for (const item of ds['00081199']?.Value ?? []) {
      const m = /\/studies\/([0-9.]+)/.exec(item['00081190']?.Value?.[0] ?? '');
      if (m) out.add(m[1]);
    }
    return [...out];
  } catch {
    return [];
  }
}

function reasonsOf(xhr: XMLHttpRequest): string[] {
  const warning = xhr.getResponseHeader('Warning');
  const reasons: string[] = [];
  if (warning) {
    for (const m of warning.matchAll(/299 \S+ "([^"]*)"/g)) reasons.push(m[1]);
  }
  if (reasons.length === 0 && xhr.getResponseHeader('Content-Type')?.includes('problem+json')) {
    try {
      const p = JSON.parse(xhr.responseText) as { detail?: string; title?: string };
      if (p.detail ?? p.title) reasons.push((p.detail ?? p.title)!);
    } catch {
      // An unreadable problem body: the HTTP status stands for the reason.
    }
  }
  return reasons;
}

/**
 * Sends the files in batches and reports each file's outcome. The archive acknowledges a whole batch or lists what
 * failed by SOP Instance UID, which this side does not parse out of the files; so a batch with failures is sent again
 * one file per request to tell which file failed and why (an instance already stored with the same content is
 * acknowledged again, not duplicated).
 */
export async function uploadFiles(
  files: PickedFile[],
  onProgress: (p: StowProgress) => void,
  onOutcome: (f: PickedFile, o: FileOutcome) => void,
  signal: AbortSignal,
): Promise<Set<string>> {
  const studies = new Set<string>();
  const totalBytes = files.reduce((n, f) => n + f.file.size, 0);
  let finishedBytes = 0;
  let doneFiles = 0;
  const report = (current: number) => onProgress({ sentBytes: finishedBytes + current, totalBytes, doneFiles, totalFiles: files.length });
  const finish = (batch: PickedFile[], outcome: (f: PickedFile) => FileOutcome) => {
    for (const f of batch) onOutcome(f, outcome(f));
    finishedBytes += batch.reduce((n, f) => n + f.file.size, 0);
    doneFiles += batch.length;
    report(0);
  };
  report(0);
  for (const batch of batches(files)) {
    if (signal.aborted) throw new DOMException('aborted', 'AbortError');
    const result = await postBatch(batch, report, signal);
    result.studies.forEach((s) => studies.add(s));
    if (result.status === 200) {
      finish(batch, () => ({ ok: true }));
      continue;
    }
    if (batch.length === 1 || result.status === 0 || result.status === 401 || result.status === 403) {
      // One file, or a refusal that concerns the whole request (network down, signed out, not allowed to store).
      const reason = describe(result);
      finish(batch, () => ({ ok: false, reason }));
      continue;
    }
    for (const single of batch) {
      if (signal.aborted) throw new DOMException('aborted', 'AbortError');
      const one = await postBatch([single], () => report(0), signal);
      one.studies.forEach((s) => studies.add(s));
      finish([single], () => (one.status === 200 ? { ok: true } : { ok: false, reason: describe(one) }));
    }
  }
  return studies;
}

/** The reason shown for a failed file; empty for a network failure (the page says so in the user's language). */
function describe(r: BatchResult): string {
  if (r.status === 0) return '';
  return r.reasons.length > 0 ? r.reasons.join('; ') : `HTTP ${r.status}`;
}
