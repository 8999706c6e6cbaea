// The viewer's DICOMweb client: QIDO-RS searches, WADO-RS metadata and the server-rendered thumbnails, every request
// with the bearer token. Pixel frames are not fetched here: Cornerstone's dicom-image-loader fetches them (wadors:
// imageIds) with the same token through its beforeSend hook (see cornerstoneSetup.ts).

export type TokenSource = () => Promise<string | null> | string | null;

/** A DICOMweb attribute as the JSON model (PS3.18 F.2) has it. */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}

export type DicomJson = Record<string, DicomJsonAttribute>;

/** A failed DICOMweb request: the status tells "not allowed / not found" (403, 404) from a broken server. */
export class DicomWebError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(status === 403 || status === 404 ? `study not found or not shared with your organisation (HTTP ${status})` : `DICOMweb request failed: HTTP ${status} for ${url}`);
    this.name = 'DicomWebError';
  }
}

export interface SeriesSummary {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  numberOfInstances: number;
}

export interface StudySummary {
  studyInstanceUid: string;
  studyDate: string;
  studyDescription: string;
  modalities: string;
  patientId: string;
  patientName: string;
}

export function str(ds: DicomJson, tag: string): string {
  const v = ds[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && 'Alphabetic' in (v as Record<string, unknown>)) return String((v as { Alphabetic: string }).Alphabetic ?? '');
  return String(v);
}

export function num(ds: DicomJson, tag: string): number | null {
  const v = ds[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

export function nums(ds: DicomJson, tag: string): number[] {
  return (ds[tag]?.Value ?? []).map((v) => Number(v)).filter((n) => Number.isFinite(n));
}

export class DicomWebClient {
  constructor(
    readonly root: string,
    private readonly token: TokenSource,
  ) {}

  async headers(accept: string): Promise<Headers> {
    const h = new Headers({ Accept: accept });
    const t = await this.token();
    if (t) h.set('Authorization', `Bearer ${t}`);
    return h;
  }

  private async json<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = `${this.root}${path}`;
    const r = await fetch(url, { headers: await this.headers('application/dicom+json'), signal });
    if (r.status === 204) return [] as T;
    if (!r.ok) throw new DicomWebError(r.status, url);
    return (await r.json()) as T;
  }

  async study(studyUid: string, signal?: AbortSignal): Promise<StudySummary | null> {
    const found = await this.json<DicomJson[]>(`/studies?StudyInstanceUID=${encodeURIComponent(studyUid)}&includefield=00081030`, signal);
    return found.length ? toStudy(found[0]) : null;
  }

  async studiesOfPatient(patientId: string, signal?: AbortSignal): Promise<StudySummary[]> {
    const found = await this.json<DicomJson[]>(`/studies?PatientID=${encodeURIComponent(patientId)}&includefield=00081030`, signal);
    return found.map(toStudy).sort((a, b) => b.studyDate.localeCompare(a.studyDate));
  }

  async series(studyUid: string, signal?: AbortSignal): Promise<SeriesSummary[]> {
    const found = await this.json<DicomJson[]>(`/studies/${studyUid}/series?includefield=0008103E`, signal);
    return found
      .map((s) => ({
        studyInstanceUid: studyUid,
        seriesInstanceUid: str(s, '0020000E'),
        modality: str(s, '00080060'),
        seriesNumber: num(s, '00200011'),
        seriesDescription: str(s, '0008103E'),
        numberOfInstances: num(s, '00201209') ?? 0,
      }))
      .sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9));
  }

  /** Every instance's metadata (WADO-RS /metadata) of a series. */
  seriesMetadata(studyUid: string, seriesUid: string, signal?: AbortSignal): Promise<DicomJson[]> {
    return this.json<DicomJson[]>(`/studies/${studyUid}/series/${seriesUid}/metadata`, signal);
  }

  /** A server-rendered JPEG (thumbnail or rendered) as an object URL; the caller revokes it. */
  async imageUrl(path: string, signal?: AbortSignal): Promise<string> {
    const url = `${this.root}${path}`;
    const r = await fetch(url, { headers: await this.headers('image/jpeg'), signal });
    if (!r.ok) throw new DicomWebError(r.status, url);
    return URL.createObjectURL(await r.blob());
  }
}

function toStudy(s: DicomJson): StudySummary {
  return {
    studyInstanceUid: str(s, '0020000D'),
    studyDate: str(s, '00080020'),
    studyDescription: str(s, '00081030'),
    modalities: (s['00080061']?.Value ?? []).join('/'),
    patientId: str(s, '00100020'),
    patientName: str(s, '00100010'),
  };
}
