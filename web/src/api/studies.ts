import { authFetch } from '../auth/session';
import { ApiError } from './http';

/** One study as QIDO-RS describes it, reduced to what the portal shows. */
export interface StudySummary {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  accessionNumber: string;
  modalities: string[];
  description: string;
  instances: number | null;
}

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

function str(ds: DicomJson, tag: string): string {
  const v = ds[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return (v as { Alphabetic?: string; Ideographic?: string }).Alphabetic ?? (v as { Ideographic?: string }).Ideographic ?? '';
  return String(v);
}

/** Studies the caller's organisation may see (own and shared), newest first, through QIDO-RS. */
export async function searchStudies(filter: { patient?: string }, limit = 200): Promise<StudySummary[]> {
  const q = new URLSearchParams({ limit: String(limit), includefield: '00081030,00201208,00080061' });
  if (filter.patient?.trim()) {
    const p = filter.patient.trim();
    // A patient ID or a (part of a) name: both are tried by the archive's fuzzy PN and ID matching.
    q.set('PatientName', `*${p}*`);
  }
  const r = await authFetch(`/dicomweb/studies?${q.toString()}`, { headers: { Accept: 'application/dicom+json' } });
  if (r.status === 204) return [];
  if (!r.ok) throw new ApiError(r.status, `QIDO-RS: ${r.status} ${r.statusText}`);
  const rows = (await r.json()) as DicomJson[];
  return rows
    .map((ds) => ({
      studyInstanceUid: str(ds, '0020000D'),
      patientName: str(ds, '00100010'),
      patientId: str(ds, '00100020'),
      studyDate: str(ds, '00080020'),
      accessionNumber: str(ds, '00080050'),
      modalities: (ds['00080061']?.Value ?? []).map(String),
      description: str(ds, '00081030'),
      instances: ds['00201208']?.Value?.[0] === undefined ? null : Number(ds['00201208'].Value[0]),
    }))
    .sort((a, b) => b.studyDate.localeCompare(a.studyDate));
}
