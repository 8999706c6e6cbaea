import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import {
  amend, claim, getReadRequest, getReport, issuePreliminary, listTemplates, release, returnToClinic, saveReport, sign,
} from '../api/readRequests';
import { ApiError, errorMessage } from '../api/http';
import { useReadRequestUpdates } from '../api/liveUpdates';
import type { ReadRequestView, ReportDraft, ReportLanguage, ReportTemplate, ReportView } from '../api/types';
import { PriorityBadge, SlaCell, StatusBadge, useNow, type Timed } from '../components/badges';
import { Dialog } from '../components/Dialog';
import { RequestFacts } from '../components/RequestFacts';
import { Link } from '../router';
import { abilitiesOf, useMe } from '../session';
import { ViewerRegion } from '../viewerSlot';

type SaveState = 'clean' | 'dirty' | 'saving' | 'saved' | 'error';
type DialogKind = 'sign' | 'return' | 'amend' | null;

const AUTOSAVE_DELAY_MS = 1200;
const EDITABLE = new Set(['assigned', 'inReading', 'preliminary', 'amended']);
const SIGNED = new Set(['signed', 'delivered']);
const RETURNABLE = new Set(['requested', 'assigned', 'inReading']);

const emptyDraft = (language: ReportLanguage): Required<ReportDraft> => ({
  findings: '', impression: '', language, templateId: null, structuredFields: {}, critical: false,
});

function draftOf(r: ReportView, fallback: ReportLanguage): Required<ReportDraft> {
  return {
    findings: r.findings ?? '',
    impression: r.impression ?? '',
    language: r.language ?? fallback,
    templateId: r.templateId ?? null,
    structuredFields: r.structuredFields ?? {},
    critical: r.critical ?? false,
  };
}

/** /read/:id — the report editor beside the viewer: templates, autosaved draft, critical flag, sign, return, amend. */
export function ReadPage({ id }: { id: string }) {
  const { t, lang, dateTime } = useI18n();
  const me = useMe();
  const now = useNow();
  const [request, setRequest] = useState<Timed<ReadRequestView> | null>(null);
  const [report, setReport] = useState<ReportView | null>(null);
  const [draft, setDraft] = useState<Required<ReportDraft>>(() => emptyDraft(lang === 'zh-CN' ? 'zh-CN' : 'en'));
  const [templates, setTemplates] = useState<ReportTemplate[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>('clean');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadReport = useCallback(() => {
    getReport(id)
      .then((r) => {
        setReport(r);
        setDraft(draftOf(r, lang === 'zh-CN' ? 'zh-CN' : 'en'));
        setSave('clean');
      })
      .catch((e: unknown) => {
        if (!(e instanceof ApiError && e.status === 404)) setError(errorMessage(e));
      });
    // Not keyed on the UI language: switching it must not reload (and overwrite) the draft being written.
  }, [id]);
  const accept = useCallback((item: ReadRequestView) => setRequest({ item, receivedAt: Date.now() }), []);
  const load = useCallback(() => {
    getReadRequest(id)
      .then((item) => {
        accept(item);
        if (item.reportVersion > 0) loadReport();
        listTemplates(item.modality, item.bodyPart).then(setTemplates).catch(() => setTemplates([]));
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [id, accept, loadReport]);
  useEffect(load, [load]);
  useReadRequestUpdates((r) => r.id === id && accept(r));

  // Autosave: a PUT of the whole draft once typing pauses; edits made while a save is in flight are saved after it.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const edits = useRef(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const flush = useCallback(async (): Promise<boolean> => {
    if (inFlight.current) await inFlight.current;
    const seq = edits.current;
    setSave('saving');
    let ok = false;
    const run = saveReport(id, draftRef.current)
      .then((saved) => {
        ok = true;
        if (saved && typeof saved === 'object' && 'version' in saved) setReport(saved);
        setSavedAt(new Date().toISOString());
        setSaveError(null);
        setSave(edits.current === seq ? 'saved' : 'dirty');
      })
      .catch((e: unknown) => {
        setSaveError(errorMessage(e));
        setSave('error');
      });
    inFlight.current = run;
    await run;
    inFlight.current = null;
    return ok && edits.current === seq;
  }, [id]);
  useEffect(() => {
    if (save !== 'dirty') return;
    const timer = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, save, flush]);
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (save === 'dirty' || save === 'saving') e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [save]);

  const change = (patch: Partial<ReportDraft>) => {
    edits.current++;
    setDraft((d) => ({ ...d, ...patch }));
    setSave('dirty');
  };

  const applyTemplate = (templateId: string) => {
    const tpl = templates.find((x) => x.id === templateId);
    if (!tpl) return change({ templateId: null });
    if ((draft.findings.trim() || draft.impression.trim()) && !window.confirm(t('report.replaceConfirm'))) return;
    const fields: Record<string, string> = {};
    for (const f of tpl.fields) fields[f.key] = draft.structuredFields[f.key] ?? '';
    change({ templateId: tpl.id, language: tpl.language, findings: tpl.findings, impression: tpl.impression, structuredFields: fields });
  };

  const runAction = async (action: () => Promise<ReadRequestView>, after?: () => void) => {
    setBusy(true);
    setDialogError(null);
    setError(null);
    try {
      accept(await action());
      setDialog(null);
      after?.();
    } catch (e) {
      if (dialog) setDialogError(errorMessage(e));
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const signNow = async () => {
    if (!password) return setDialogError(t('sign.passwordRequired'));
    setBusy(true);
    setDialogError(null);
    // The signed text must be the text on screen: save what is pending first.
    if ((save === 'dirty' || save === 'saving' || save === 'error') && !(await flush())) {
      setBusy(false);
      return setDialogError(t('sign.saveFirst'));
    }
    setBusy(false);
    await runAction(() => sign(id, password), () => {
      setPassword('');
      loadReport();
    });
  };

  const preliminary = async () => {
    if ((save === 'dirty' || save === 'saving' || save === 'error') && !(await flush())) return setError(t('sign.saveFirst'));
    await runAction(() => issuePreliminary(id), loadReport);
  };

  if (!request) {
    return <section className="page">{error ? <p role="alert" className="error">{error}</p> : <p role="status">{t('common.loading')}</p>}</section>;
  }
  const r = request.item;
  const mineToEdit = r.assignee === me.user && EDITABLE.has(r.status);
  const canClaim = r.status === 'requested' || (r.status === 'assigned' && !r.assignee);
  const template = templates.find((x) => x.id === draft.templateId);
  const extraFields = Object.keys(draft.structuredFields).filter((k) => !template?.fields.some((f) => f.key === k));

  return (
    <div className="read-layout">
      <ViewerRegion studyUid={r.studyInstanceUid} />
      <section className="editor" aria-labelledby="editor-title">
        <p><Link to="/worklist">← {t('read.back')}</Link></p>
        <div className="page-title">
          <h1 id="editor-title">{t('read.title')}</h1>
          <PriorityBadge priority={r.priority} />
          <StatusBadge status={r.status} />
          <SlaCell r={request} now={now} />
        </div>
        {error && <p role="alert" className="error">{error}</p>}
        <RequestFacts r={r} />
        <div className="button-row">
          {canClaim && <button type="button" className="primary" disabled={busy} onClick={() => void runAction(() => claim(id))}>{t('read.claim')}</button>}
          {r.assignee === me.user && (r.status === 'assigned' || r.status === 'inReading') && (
            <button type="button" disabled={busy} onClick={() => void runAction(() => release(id))}>{t('worklist.release')}</button>
          )}
          {RETURNABLE.has(r.status) && (
            <button type="button" disabled={busy} onClick={() => { setReason(''); setDialog('return'); }}>{t('read.return')}</button>
          )}
          {SIGNED.has(r.status) && abilitiesOf(me).readReports && (
            <button type="button" disabled={busy} onClick={() => { setReason(''); setDialog('amend'); }}>{t('read.amend')}</button>
          )}
        </div>
        {!mineToEdit && !SIGNED.has(r.status) && <p className="muted">{t('read.claimToWrite')}</p>}

        <form className="report-form" onSubmit={(e) => e.preventDefault()} aria-label={t('read.reportForm')}>
          <div className="form-row">
            <label>
              {t('report.template')}
              <select value={draft.templateId ?? ''} disabled={!mineToEdit} onChange={(e) => applyTemplate(e.target.value)}>
                <option value="">{t('report.noTemplate')}</option>
                {templates.map((tpl) => (
                  <option key={tpl.id} value={tpl.id}>{tpl.name} ({tpl.language})</option>
                ))}
              </select>
            </label>
            <label>
              {t('report.language')}
              <select value={draft.language} disabled={!mineToEdit} onChange={(e) => change({ language: e.target.value as ReportLanguage })}>
                <option value="zh-CN">中文</option>
                <option value="en">English</option>
              </select>
            </label>
          </div>
          <label>
            {t('report.findings')}
            <textarea rows={10} value={draft.findings} readOnly={!mineToEdit} onChange={(e) => change({ findings: e.target.value })} />
          </label>
          <label>
            {t('report.impression')}
            <textarea rows={5} value={draft.impression} readOnly={!mineToEdit} onChange={(e) => change({ impression: e.target.value })} />
          </label>
          {(template?.fields.length ?? 0) + extraFields.length > 0 && (
            <fieldset>
              <legend>{t('report.structured')}</legend>
              {template?.fields.map((f) => (
                <label key={f.key}>
                  {f.label}
                  {f.options.length > 0 ? (
                    <select value={draft.structuredFields[f.key] ?? ''} disabled={!mineToEdit} onChange={(e) => change({ structuredFields: { ...draft.structuredFields, [f.key]: e.target.value } })}>
                      <option value="">—</option>
                      {f.options.map((o) => <option key={o} value={o}>{o}</option>)}
                    </select>
                  ) : (
                    <input value={draft.structuredFields[f.key] ?? ''} readOnly={!mineToEdit} onChange={(e) => change({ structuredFields: { ...draft.structuredFields, [f.key]: e.target.value } })} />
                  )}
                </label>
              ))}
              {extraFields.map((k) => (
                <label key={k}>
                  {k}
                  <input value={draft.structuredFields[k]} readOnly={!mineToEdit} onChange={(e) => change({ structuredFields: { ...draft.structuredFields, [k]: e.target.value } })} />
                </label>
              ))}
            </fieldset>
          )}
          <label className="check critical-check">
            <input type="checkbox" checked={draft.critical} disabled={!mineToEdit} onChange={(e) => change({ critical: e.target.checked })} />
            {t('report.critical')}
          </label>
          <div className="save-row">
            <span className={`save-state save-${save}`} role="status" aria-live="polite">
              {save === 'saving' && t('report.saving')}
              {save === 'dirty' && t('report.unsaved')}
              {save === 'saved' && t('report.saved', { at: dateTime(savedAt) })}
              {save === 'error' && t('report.saveFailed', { message: saveError ?? '' })}
              {save === 'clean' && report && t('report.version', { version: report.version, status: t(`reportStatus.${report.status}`) })}
            </span>
            {mineToEdit && (
              <span className="button-row">
                {r.status === 'inReading' && (
                  <button type="button" disabled={busy} onClick={() => void preliminary()}>{t('read.preliminary')}</button>
                )}
                {abilitiesOf(me).readReports && (
                  <button type="button" className="primary" disabled={busy} onClick={() => { setPassword(''); setDialogError(null); setDialog('sign'); }}>
                    {t('read.sign')}
                  </button>
                )}
              </span>
            )}
          </div>
        </form>
        {report?.signedAt && <p className="muted">{t('request.signedBy', { by: report.signedBy ?? '', at: dateTime(report.signedAt) })}</p>}
      </section>

      <Dialog open={dialog === 'sign'} title={t('sign.title')} submitLabel={t('read.sign')} busy={busy} error={dialogError} onClose={() => setDialog(null)} onSubmit={() => void signNow()}>
        <p>{t('sign.explain')}</p>
        {draft.critical && <p className="warning">{t('sign.criticalNote')}</p>}
        <label>
          {t('sign.password')}
          <input type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
      </Dialog>
      <Dialog
        open={dialog === 'return' || dialog === 'amend'}
        title={dialog === 'amend' ? t('read.amend') : t('read.return')}
        submitLabel={dialog === 'amend' ? t('read.amend') : t('read.return')}
        danger={dialog === 'return'}
        busy={busy}
        error={dialogError}
        onClose={() => setDialog(null)}
        onSubmit={() => {
          if (!reason.trim()) return setDialogError(t('common.reasonRequired'));
          if (dialog === 'amend') void runAction(() => amend(id, reason.trim()), loadReport);
          else void runAction(() => returnToClinic(id, reason.trim()));
        }}
      >
        {dialog === 'return' && <p>{t('return.explain')}</p>}
        <label>
          {t('common.reason')}
          <textarea required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      </Dialog>
    </div>
  );
}
