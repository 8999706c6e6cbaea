// Wire types of the read-request API (docs: the issue 7 API contract; JSON camelCase, enums as lower-case strings).

export type Role = 'admin' | 'technologist' | 'radiologist' | 'expert' | 'trainee' | 'auditor';

export interface Me {
  user: string;
  organization: string | null;
  organizationId: number;
  role: Role;
  centre: boolean;
}

export const PRIORITIES = ['stat', 'urgent', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = [
  'requested', 'assigned', 'inReading', 'preliminary', 'signed', 'delivered', 'returned', 'cancelled', 'amended',
] as const;
export type RequestStatus = (typeof STATUSES)[number];

/** Requests a reader still has to act on. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['requested', 'assigned', 'inReading', 'preliminary', 'amended'];

export type SlaState = 'ok' | 'warning' | 'breached' | 'met';

export interface NamedRef {
  id: string | number;
  name: string;
}

export interface ReadRequestView {
  id: string;
  studyInstanceUid: string;
  accessionNumber?: string | null;
  patientName?: string | null;
  patientId?: string | null;
  patientSex?: string | null;
  patientBirthDate?: string | null;
  modality?: string | null;
  bodyPart?: string | null;
  studyDate?: string | null;
  studyDescription?: string | null;
  numberOfInstances?: number | null;
  clinic: NamedRef;
  centre: NamedRef;
  priority: Priority;
  clinicalQuestion: string;
  indication?: string | null;
  priorStudyInstanceUids: string[];
  status: RequestStatus;
  assignee?: string | null;
  createdBy: string;
  createdAt: string;
  dueAt: string;
  slaSecondsLeft: number;
  slaState: SlaState;
  returnedReason?: string | null;
  cancelReason?: string | null;
  critical: { flagged: boolean; acknowledgedAt?: string | null; acknowledgedBy?: string | null };
  reportVersion: number;
  signedAt?: string | null;
  signedBy?: string | null;
}

export interface ReadRequestList {
  items: ReadRequestView[];
  total: number;
}

export interface NewReadRequest {
  studyInstanceUid: string;
  priority: Priority;
  clinicalQuestion: string;
  indication?: string;
  bodyPart?: string;
  priorStudyInstanceUids?: string[];
}

export type ReportLanguage = 'zh-CN' | 'en';

export interface ReportView {
  version: number;
  findings: string;
  impression: string;
  language?: ReportLanguage | null;
  templateId?: string | null;
  structuredFields: Record<string, string>;
  critical: boolean;
  status: 'draft' | 'preliminary' | 'final';
  updatedAt: string;
  signedBy?: string | null;
  signedAt?: string | null;
  amendmentReason?: string | null;
}

export interface ReportDraft {
  findings: string;
  impression: string;
  language?: ReportLanguage;
  templateId?: string | null;
  structuredFields?: Record<string, string>;
  critical?: boolean;
}

export interface ReportTemplate {
  id: string;
  modality: string;
  bodyPart: string;
  language: ReportLanguage;
  name: string;
  findings: string;
  impression: string;
  fields: { key: string; label: string; options: string[] }[];
}
