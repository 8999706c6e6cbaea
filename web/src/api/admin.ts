import { api } from './http';
import type { Role } from './types';

export interface OrganizationSummary { id: number; name: string; isCentre: boolean; users: number; aes: number; createdAt: string }
export interface UserSummary { userName: string; organization: string; role: Role; lockedOutUntil?: string | null }
export interface AeSummary { aeTitle: string; organization: string; host?: string | null; port?: number | null }

export const ROLES: readonly Role[] = ['admin', 'technologist', 'radiologist', 'expert', 'trainee', 'auditor'];

export const listOrganizations = () => api<OrganizationSummary[]>('/api/admin/organizations');
export const addOrganization = (name: string, isCentre: boolean) => api<OrganizationSummary>('/api/admin/organizations', { body: { name, isCentre } });
export const listUsers = () => api<UserSummary[]>('/api/admin/users');
export const addUser = (u: { organization: string; role: Role; userName: string; password: string }) => api<UserSummary>('/api/admin/users', { body: u });
export const setPassword = (userName: string, password: string) =>
  api<void>(`/api/admin/users/${encodeURIComponent(userName)}/password`, { method: 'PUT', body: { password } });
export const listAes = () => api<AeSummary[]>('/api/admin/aes');
export const addAe = (a: { organization: string; aeTitle: string; host?: string; port?: number }) => api<AeSummary>('/api/admin/aes', { body: a });

/** The centre's reading setup (workflow API): readers on duty and the routing rules tried in order. */
export interface ReaderView { user: string; displayName?: string | null; role: Role; onDuty: boolean; subspecialties: string[]; openAssigned: number }
export interface RoutingRule { id?: number | null; order: number; modality?: string | null; bodyPart?: string | null; subspecialty?: string | null; readers: string[] }

export const listReaders = () => api<ReaderView[]>('/api/readers');
export const setAvailability = (user: string, onDuty: boolean, subspecialties: string[]) =>
  api<ReaderView>(`/api/readers/${encodeURIComponent(user)}/availability`, { method: 'PUT', body: { onDuty, subspecialties } });
export const listRoutingRules = () => api<RoutingRule[]>('/api/routing-rules');
export const replaceRoutingRules = (rules: RoutingRule[]) => api<RoutingRule[]>('/api/routing-rules', { method: 'PUT', body: rules });
