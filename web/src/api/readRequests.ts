import { api, apiBlob } from './http';
import type {
  NewReadRequest, ReadRequestList, ReadRequestView, ReportDraft, ReportTemplate, ReportView, RequestStatus,
} from './types';

const base = '/api/read-requests';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Every request the caller may see with these statuses, fetched page by page (the worklist holds them all). */
export async function listReadRequests(statuses: readonly RequestStatus[] | null, signal?: AbortSignal): Promise<ReadRequestView[]> {
  const pageSize = 5000;
  const items: ReadRequestView[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const q = new URLSearchParams({ limit: String(pageSize), offset: String(offset), sort: 'priority' });
    if (statuses) q.set('status', statuses.join(','));
    const page = await api<ReadRequestList>(`${base}?${q.toString()}`, { signal });
    items.push(...page.items);
    if (page.items.length < pageSize || items.length >= page.total) return items;
  }
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
