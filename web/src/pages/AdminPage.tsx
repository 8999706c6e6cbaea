import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { errorMessage } from '../api/http';
import {
  addAe, addOrganization, addUser, listAes, listOrganizations, listUsers, ROLES, setPassword,
  type AeSummary, type OrganizationSummary, type UserSummary,
} from '../api/admin';
import type { Role } from '../api/types';
import { Dialog } from '../components/Dialog';
import { ReadingSetupPanel } from './ReadingSetupPanel';

type Tab = 'organizations' | 'users' | 'aes' | 'setup';
type Form = 'organization' | 'user' | 'ae' | 'password' | null;

/** The partnership's accounts, as `radbridge admin` manages them: organisations, users (roles, passwords), AEs. */
export function AdminPage() {
  const { t, dateTime } = useI18n();
  const [tab, setTab] = useState<Tab>('organizations');
  const [orgs, setOrgs] = useState<OrganizationSummary[]>([]);
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [aes, setAes] = useState<AeSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const set = (k: string, v: string) => setFields((f) => ({ ...f, [k]: v }));

  const load = useCallback(() => {
    Promise.all([listOrganizations(), listUsers(), listAes()])
      .then(([o, u, a]) => {
        setOrgs(o);
        setUsers(u);
        setAes(a);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);

  const open = (f: Form, initial: Record<string, string> = {}) => {
    setFields({ organization: orgs[0]?.name ?? '', role: 'technologist', ...initial });
    setFormError(null);
    setForm(f);
  };
  const submit = async () => {
    setBusy(true);
    setFormError(null);
    try {
      if (form === 'organization') await addOrganization(fields.name ?? '', fields.centre === 'true');
      if (form === 'user') await addUser({ organization: fields.organization, role: fields.role as Role, userName: fields.userName ?? '', password: fields.password ?? '' });
      if (form === 'password') await setPassword(fields.userName, fields.password ?? '');
      if (form === 'ae') {
        await addAe({ organization: fields.organization, aeTitle: fields.aeTitle ?? '', host: fields.host || undefined, port: fields.port ? Number(fields.port) : undefined });
      }
      setForm(null);
      load();
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const tabButton = (id: Tab, label: string) => (
    <button type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} onClick={() => setTab(id)}>{label}</button>
  );
  const orgSelect = (
    <label>
      {t('admin.organization')}
      <select value={fields.organization ?? ''} onChange={(e) => set('organization', e.target.value)}>
        {orgs.map((o) => <option key={o.id} value={o.name}>{o.name}</option>)}
      </select>
    </label>
  );
  const titles: Record<Exclude<Form, null>, string> = {
    organization: t('admin.addOrganization'), user: t('admin.addUser'), ae: t('admin.addAe'), password: t('admin.setPassword'),
  };

  return (
    <section className="page">
      <h1>{t('admin.title')}</h1>
      {error && <p role="alert" className="error">{error}</p>}
      <div role="tablist" className="tabs" aria-label={t('admin.title')}>
        {tabButton('organizations', t('admin.organizations'))}
        {tabButton('users', t('admin.users'))}
        {tabButton('aes', t('admin.aes'))}
        {tabButton('setup', t('setup.title'))}
      </div>
      {tab === 'setup' && (
        <div role="tabpanel" id="panel-setup" aria-labelledby="tab-setup">
          <ReadingSetupPanel />
        </div>
      )}
      {tab === 'organizations' && (
        <div role="tabpanel" id="panel-organizations" aria-labelledby="tab-organizations">
          <button type="button" className="primary" onClick={() => open('organization', { centre: 'false' })}>{t('admin.addOrganization')}</button>
          <table className="data-table">
            <thead><tr><th scope="col">{t('admin.name')}</th><th scope="col">{t('admin.kind')}</th><th scope="col">{t('admin.users')}</th><th scope="col">{t('admin.aes')}</th><th scope="col">{t('col.created')}</th></tr></thead>
            <tbody>
              {orgs.map((o) => (
                <tr key={o.id}><td>{o.name}</td><td>{o.isCentre ? t('admin.centre') : t('admin.clinic')}</td><td>{o.users}</td><td>{o.aes}</td><td>{dateTime(o.createdAt)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tab === 'users' && (
        <div role="tabpanel" id="panel-users" aria-labelledby="tab-users">
          <button type="button" className="primary" onClick={() => open('user')}>{t('admin.addUser')}</button>
          <table className="data-table">
            <thead><tr><th scope="col">{t('admin.userName')}</th><th scope="col">{t('admin.organization')}</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('admin.lockedOut')}</th><th scope="col"><span className="visually-hidden">{t('col.actions')}</span></th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.userName}>
                  <td>{u.userName}</td><td>{u.organization}</td><td>{t(`role.${u.role}`)}</td><td>{u.lockedOutUntil ? dateTime(u.lockedOutUntil) : ''}</td>
                  <td><button type="button" onClick={() => open('password', { userName: u.userName })}>{t('admin.setPassword')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tab === 'aes' && (
        <div role="tabpanel" id="panel-aes" aria-labelledby="tab-aes">
          <button type="button" className="primary" onClick={() => open('ae')}>{t('admin.addAe')}</button>
          <table className="data-table">
            <thead><tr><th scope="col">{t('admin.aeTitle')}</th><th scope="col">{t('admin.organization')}</th><th scope="col">{t('admin.address')}</th></tr></thead>
            <tbody>
              {aes.map((a) => (
                <tr key={a.aeTitle}><td><code>{a.aeTitle}</code></td><td>{a.organization}</td><td>{a.host ? `${a.host}${a.port ? `:${a.port}` : ''}` : ''}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={form !== null} title={form ? titles[form] : ''} submitLabel={t('common.save')} busy={busy} error={formError} onClose={() => setForm(null)} onSubmit={() => void submit()}>
        {form === 'organization' && (
          <>
            <label>{t('admin.name')}<input required value={fields.name ?? ''} onChange={(e) => set('name', e.target.value)} /></label>
            <label className="check"><input type="checkbox" checked={fields.centre === 'true'} onChange={(e) => set('centre', String(e.target.checked))} />{t('admin.isCentre')}</label>
          </>
        )}
        {form === 'user' && (
          <>
            {orgSelect}
            <label>
              {t('admin.role')}
              <select value={fields.role} onChange={(e) => set('role', e.target.value)}>
                {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
              </select>
            </label>
            <label>{t('admin.userName')}<input required autoComplete="off" value={fields.userName ?? ''} onChange={(e) => set('userName', e.target.value)} /></label>
            <label>{t('admin.password')}<input required type="password" autoComplete="new-password" value={fields.password ?? ''} onChange={(e) => set('password', e.target.value)} /></label>
          </>
        )}
        {form === 'password' && (
          <>
            <p>{fields.userName}</p>
            <label>{t('admin.newPassword')}<input required type="password" autoComplete="new-password" value={fields.password ?? ''} onChange={(e) => set('password', e.target.value)} /></label>
          </>
        )}
        {form === 'ae' && (
          <>
            {orgSelect}
            <label>{t('admin.aeTitle')}<input required maxLength={16} value={fields.aeTitle ?? ''} onChange={(e) => set('aeTitle', e.target.value)} /></label>
            <label>{t('admin.host')}<input value={fields.host ?? ''} onChange={(e) => set('host', e.target.value)} /></label>
            <label>{t('admin.port')}<input type="number" min={1} max={65535} value={fields.port ?? ''} onChange={(e) => set('port', e.target.value)} /></label>
          </>
        )}
      </Dialog>
    </section>
  );
}
