import { api, apiBlob } from './http';
import type {
  NewReadRequest, ReadRequestList, ReadRequestView, ReportDraft, ReportTemplate, ReportView, RequestStatus,
} from './types';

const base = '/api/read-requests';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** The server's largest page (ReadRequestQuery.MaxLimit). */
const PAGE_SIZE = 500;
const PARALLEL_PAGES = 4;

/**
 * Every request the caller may see with these statuses. The first page (the most urgent, as the server sorts them) is
 * handed to `onFirstPage` at once so a long worklist paints before the rest has arrived; the other pages are then
 * fetched a few at a time.
 */
export async function listReadRequests(
  statuses: readonly RequestStatus[] | null,
  signal?: AbortSignal,
  onFirstPage?: (items: ReadRequestView[]) => void,
): Promise<ReadRequestView[]> {
  const page = (offset: number) => {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset), sort: 'priority' });
    if (statuses) q.set('status', statuses.join(','));
    return api<ReadRequestList>(`${base}?${q.toString()}`, { signal });
  };
  const first = await page(0);
  if (first.total <= first.items.length) return first.items;
  onFirstPage?.(first.items);
  const offsets: number[] = [];
  for (let o = PAGE_SIZE; o < first.total; o += PAGE_SIZE) offsets.push(o);
  const pages: ReadRequestView[][] = new Array(offsets.length);
  let next = 0;
  const worker = async () => {
    while (next < offsets.length) {
      const i = next++;
      pages[i] = (await page(offsets[i])).items;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PAGES, offsets.length) }, worker));
  // Requests that moved between pages while they were read would appear twice: keep each id once.
  const seen = new Set<string>();
  return [first.items, ...pages].flat().filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined);
}

export const getReadRequest = (id: string) => api<ReadRequestView>(one(id));
export const createReadRequest = (body: NewReadRequest) => api<ReadRequestView>(base, { body });

/** The state-changing actions; the server answers with the request as it now is (or nothing, then it is re-read). */
async function act(id: string, action: string, body: unknown = {}): Promise<ReadRequestView> {
  const r = await api<ReadRequestView | undefined>(`${one(id)}/${action}`, { method: 'POST', body });
  return r && typeof r === 'object' && 'status' in r ? r : getReadRequest(id);
}

export const claim = (id: string) => act(id, 'claim');
export const release = (id: string) => act(id, 'release');
export const resubmit = (id: string) => act(id, 'resubmit');
export const issuePreliminary = (id: string) => act(id, 'preliminary');
export const returnToClinic = (id: string, reason: string) => act(id, 'return', { reason });
export const cancelRequest = (id: string, reason: string) => act(id, 'cancel', { reason });
export const amend = (id: string, reason: string) => act(id, 'amend', { reason });
export const acknowledgeCritical = (id: string) => act(id, 'acknowledge-critical');
export const sign = (id: string, password: string) => act(id, 'sign', { password });

export const getReport = (id: string) => api<ReportView>(`${one(id)}/report`);
export const saveReport = (id: string, draft: ReportDraft) => api<ReportView | undefined>(`${one(id)}/report`, { method: 'PUT', body: draft });
export const reportPdf = (id: string) => apiBlob(`${one(id)}/report.pdf`);

export function listTemplates(modality?: string | null, bodyPart?: string | null): Promise<ReportTemplate[]> {
  const q = new URLSearchParams();
  if (modality) q.set('modality', modality);
  if (bodyPart) q.set('bodyPart', bodyPart);
  return api<ReportTemplate[]>(`/api/report-templates?${q.toString()}`);
}
