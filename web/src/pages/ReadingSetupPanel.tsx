import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { errorMessage } from '../api/http';
import { listReaders, listRoutingRules, replaceRoutingRules, setAvailability, type ReaderView, type RoutingRule } from '../api/admin';

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** The admin page's reading setup: who is on duty (auto-assignment goes only to them) and the routing rules. */
export function ReadingSetupPanel() {
  const { t } = useI18n();
  const [readers, setReaders] = useState<ReaderView[]>([]);
  const [rules, setRules] = useState<RoutingRule[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const load = useCallback(() => {
    Promise.all([listReaders(), listRoutingRules()])
      .then(([r, rr]) => {
        setReaders(r);
        setRules(rr);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);

  const toggle = async (r: ReaderView, onDuty: boolean, subspecialties = r.subspecialties) => {
    setError(null);
    try {
      const updated = await setAvailability(r.user, onDuty, subspecialties);
      setReaders((all) => all.map((x) => (x.user === r.user ? updated : x)));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const edit = (i: number, patch: Partial<RoutingRule>) => {
    setSaved(false);
    setRules((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const save = async () => {
    setError(null);
    try {
      setRules(await replaceRoutingRules(rules.map((r, i) => ({ ...r, order: i + 1 }))));
      setSaved(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <>
      {error && <p role="alert" className="error">{error}</p>}
      <h2>{t('setup.readers')}</h2>
      <table className="data-table">
        <thead><tr><th scope="col">{t('admin.userName')}</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('setup.onDuty')}</th><th scope="col">{t('setup.subspecialties')}</th><th scope="col">{t('setup.openAssigned')}</th></tr></thead>
        <tbody>
          {readers.map((r) => (
            <tr key={r.user}>
              <td>{r.user}</td>
              <td>{t(`role.${r.role}`)}</td>
              <td><input type="checkbox" aria-label={t('setup.onDutyOf', { user: r.user })} checked={r.onDuty} onChange={(e) => void toggle(r, e.target.checked)} /></td>
              <td>
                <input
                  aria-label={t('setup.subspecialtiesOf', { user: r.user })}
                  defaultValue={r.subspecialties.join(', ')}
                  onBlur={(e) => list(e.target.value).join(',') !== r.subspecialties.join(',') && void toggle(r, r.onDuty, list(e.target.value))}
                />
              </td>
              <td>{r.openAssigned}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('setup.rules')}</h2>
      <p className="muted">{t('setup.rulesExplain')}</p>
      <table className="data-table">
        <thead><tr><th scope="col">#</th><th scope="col">{t('col.modality')}</th><th scope="col">{t('newRequest.bodyPart')}</th><th scope="col">{t('setup.subspecialty')}</th><th scope="col">{t('setup.ruleReaders')}</th><th scope="col"><span className="visually-hidden">{t('col.actions')}</span></th></tr></thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td><input aria-label={`${t('col.modality')} ${i + 1}`} value={r.modality ?? ''} onChange={(e) => edit(i, { modality: e.target.value || null })} /></td>
              <td><input aria-label={`${t('newRequest.bodyPart')} ${i + 1}`} value={r.bodyPart ?? ''} onChange={(e) => edit(i, { bodyPart: e.target.value || null })} /></td>
              <td><input aria-label={`${t('setup.subspecialty')} ${i + 1}`} value={r.subspecialty ?? ''} onChange={(e) => edit(i, { subspecialty: e.target.value || null })} /></td>
              <td><input aria-label={`${t('setup.ruleReaders')} ${i + 1}`} value={r.readers.join(', ')} onChange={(e) => edit(i, { readers: list(e.target.value) })} /></td>
              <td><button type="button" onClick={() => { setSaved(false); setRules((all) => all.filter((_, j) => j !== i)); }}>{t('setup.removeRule')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="button-row">
        <button type="button" onClick={() => { setSaved(false); setRules((all) => [...all, { order: all.length + 1, readers: [] }]); }}>{t('setup.addRule')}</button>
        <button type="button" className="primary" onClick={() => void save()}>{t('setup.saveRules')}</button>
        {saved && <span role="status" className="ok">{t('setup.saved')}</span>}
      </div>
    </>
  );
}
