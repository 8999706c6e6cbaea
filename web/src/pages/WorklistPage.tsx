import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import { claim, listReadRequests, release } from '../api/readRequests';
import { errorMessage } from '../api/http';
import { useReadRequestUpdates } from '../api/liveUpdates';
import { OPEN_STATUSES, PRIORITIES, STATUSES, type Priority, type ReadRequestView, type RequestStatus } from '../api/types';
import { PriorityBadge, SlaCell, StatusBadge, useNow, type Timed } from '../components/badges';
import { LiveIndicator } from '../components/LiveIndicator';
import { navigate } from '../router';
import { useMe } from '../session';

const ROW_HEIGHT = 40; // px; fixed so that the visible window is arithmetic (kept in step with .worklist td in CSS)
const OVERSCAN = 8;
const PRIORITY_RANK: Record<Priority, number> = { stat: 0, urgent: 1, routine: 2 };

type SortKey = 'sla' | 'priority' | 'created' | 'patient' | 'modality' | 'clinic' | 'status';
type StatusScope = 'open' | 'all' | RequestStatus;

interface Row extends Timed<ReadRequestView> {
  /** Local-clock instant the SLA ends, fixed at arrival, so sorting by SLA does not change as the clock ticks. */
  dueLocal: number;
}

const toRow = (item: ReadRequestView, receivedAt: number): Row => ({ item, receivedAt, dueLocal: receivedAt + item.slaSecondsLeft * 1000 });

function compare(key: SortKey, a: Row, b: Row): number {
  const x = a.item;
  const y = b.item;
  switch (key) {
    case 'sla': return a.dueLocal - b.dueLocal;
    case 'priority': return PRIORITY_RANK[x.priority] - PRIORITY_RANK[y.priority] || a.dueLocal - b.dueLocal;
    case 'created': return x.createdAt.localeCompare(y.createdAt);
    case 'patient': return (x.patientName ?? '').localeCompare(y.patientName ?? '');
    case 'modality': return (x.modality ?? '').localeCompare(y.modality ?? '');
    case 'clinic': return x.clinic.name.localeCompare(y.clinic.name);
    case 'status': return STATUSES.indexOf(x.status) - STATUSES.indexOf(y.status);
  }
}

/**
 * The readers' worklist. Every request the reader may see is held in memory (10,000 rows are a few MB) and filtered
 * and sorted here; the table renders only the rows in view plus a few, so painting and scrolling stay fast however
 * long the list. STAT requests always come first; the SLA countdown runs on one timer for the page.
 */
export function WorklistPage() {
  const { t, dateTime, shortDateTime, dicomDate } = useI18n();
  const me = useMe();
  const now = useNow();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scope, setScope] = useState<StatusScope>('open');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [modality, setModality] = useState('');
  const [clinic, setClinic] = useState('');
  const [mine, setMine] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'sla', desc: false });
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(() => {
    const statuses = scope === 'open' ? OPEN_STATUSES : scope === 'all' ? null : [scope];
    const controller = new AbortController();
    const show = (items: ReadRequestView[]) => {
      const at = Date.now();
      setRows(items.map((i) => toRow(i, at)));
    };
    listReadRequests(statuses, controller.signal, show)
      .then((items) => {
        const at = Date.now();
        setRows(items.map((i) => toRow(i, at)));
        setError(null);
      })
      .catch((e: unknown) => controller.signal.aborted || setError(errorMessage(e)));
    return () => controller.abort();
  }, [scope]);
  useEffect(load, [load]);

  const upsert = useCallback((r: ReadRequestView) => {
    setRows((list) => {
      if (!list) return list;
      const row = toRow(r, Date.now());
      const i = list.findIndex((x) => x.item.id === r.id);
      if (i < 0) return [...list, row];
      const copy = list.slice();
      copy[i] = row;
      return copy;
    });
  }, []);
  const live = useReadRequestUpdates(upsert, load);

  const inScope = useCallback(
    (s: RequestStatus) => (scope === 'open' ? OPEN_STATUSES.includes(s) : scope === 'all' ? true : s === scope),
    [scope],
  );
  const { modalities, clinics } = useMemo(() => {
    const m = new Set<string>();
    const c = new Set<string>();
    for (const r of rows ?? []) {
      if (r.item.modality) m.add(r.item.modality);
      c.add(r.item.clinic.name);
    }
    return { modalities: [...m].sort(), clinics: [...c].sort() };
  }, [rows]);

  const visible = useMemo(() => {
    if (!rows) return [];
    const list = rows.filter(
      (r) =>
        inScope(r.item.status) &&
        (!priority || r.item.priority === priority) &&
        (!modality || r.item.modality === modality) &&
        (!clinic || r.item.clinic.name === clinic) &&
        (!mine || r.item.assignee === me.user),
    );
    const dir = sort.desc ? -1 : 1;
    return list.sort((a, b) => {
      const stat = Number(b.item.priority === 'stat') - Number(a.item.priority === 'stat');
      return stat || dir * compare(sort.key, a, b) || a.item.createdAt.localeCompare(b.item.createdAt);
    });
  }, [rows, inScope, priority, modality, clinic, mine, me.user, sort]);

  // Performance mark for bench/: the first paint of a loaded worklist.
  const marked = useRef(false);
  useEffect(() => {
    if (rows && !marked.current) {
      marked.current = true;
      requestAnimationFrame(() => performance.mark('radbridge:worklist-painted'));
    }
  }, [rows]);

  const act = async (id: string, action: (id: string) => Promise<ReadRequestView>) => {
    setBusyId(id);
    setError(null);
    try {
      upsert(await action(id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  // Virtual scrolling over a plain table: spacer rows above and below the rendered slice keep the scroll height right.
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [visible.length > 0]);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(visible.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const slice = visible.slice(first, last);

  // Roving focus: one row is tabbable; arrows, Page Up/Down, Home/End move it, Enter opens the request.
  const [active, setActive] = useState(0);
  const moveTo = (index: number) => {
    const i = Math.max(0, Math.min(visible.length - 1, index));
    setActive(i);
    const el = scroller.current;
    if (!el) return;
    const top = i * ROW_HEIGHT;
    const header = ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT + header > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT + header - el.clientHeight;
  };
  useEffect(() => {
    const el = scroller.current;
    if (el?.contains(document.activeElement) && document.activeElement?.tagName === 'TR') {
      el.querySelector<HTMLTableRowElement>(`tr[data-index="${active}"]`)?.focus();
    }
  }, [active, first]);
  const keys = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: visible.length - 1 };
    if (e.target instanceof HTMLElement && e.target.tagName !== 'TR') return;
    if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]);
    } else if (e.key === 'Enter' && visible[active]) {
      navigate(`/read/${encodeURIComponent(visible[active].item.id)}`);
    }
  };

  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );

  return (
    <section className="page worklist-page">
      <div className="page-title">
        <h1>{t('worklist.title')}</h1>
        <span className="muted" role="status">{rows ? t('worklist.count', { shown: visible.length, total: rows.length }) : error ? '' : t('common.loading')}</span>
        <LiveIndicator state={live} />
      </div>
      <div className="filters">
        <label>
          {t('col.status')}
          <select value={scope} onChange={(e) => setScope(e.target.value as StatusScope)}>
            <option value="open">{t('worklist.scopeOpen')}</option>
            <option value="all">{t('common.all')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </select>
        </label>
        <label>
          {t('col.priority')}
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority | '')}>
            <option value="">{t('common.all')}</option>
            {PRIORITIES.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
          </select>
        </label>
        <label>
          {t('col.modality')}
          <select value={modality} onChange={(e) => setModality(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {modalities.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label>
          {t('col.clinic')}
          <select value={clinic} onChange={(e) => setClinic(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {clinics.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          {t('worklist.mine')}
        </label>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {rows && visible.length === 0 && <p className="empty">{t('worklist.empty')}</p>}
      {rows && visible.length > 0 && (
        <div className="worklist-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
          <table className="data-table worklist" aria-rowcount={visible.length + 1}>
            <thead>
              <tr>
                {header('priority', t('col.priority'))}
                {header('sla', t('col.slaLeft'))}
                {header('status', t('col.status'))}
                {header('patient', t('col.patient'))}
                {header('modality', t('col.modality'))}
                <th scope="col">{t('col.study')}</th>
                {header('clinic', t('col.clinic'))}
                {header('created', t('col.created'))}
                <th scope="col">{t('col.assignee')}</th>
                <th scope="col"><span className="visually-hidden">{t('col.actions')}</span></th>
              </tr>
            </thead>
            <tbody onKeyDown={keys}>
              {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />}
              {slice.map((r, k) => {
                const i = first + k;
                const x = r.item;
                const open = () => navigate(`/read/${encodeURIComponent(x.id)}`);
                return (
                  <tr
                    key={x.id}
                    data-index={i}
                    data-request-id={x.id}
                    aria-rowindex={i + 2}
                    tabIndex={i === active ? 0 : -1}
                    className={x.priority === 'stat' ? 'row-stat' : undefined}
                    onFocus={() => setActive(i)}
                    onDoubleClick={open}
                  >
                    <td><PriorityBadge priority={x.priority} /></td>
                    <td><SlaCell r={r} now={now} /></td>
                    <td><StatusBadge status={x.status} />{x.critical.flagged && <span className="badge critical">{t('critical.short')}</span>}</td>
                    <td title={x.patientId ?? undefined}>{x.patientName ?? '—'}</td>
                    <td>{x.modality}</td>
                    <td>{[x.bodyPart, dicomDate(x.studyDate), x.studyDescription].filter(Boolean).join(' · ')}</td>
                    <td>{x.clinic.name}</td>
                    <td title={dateTime(x.createdAt)}>{shortDateTime(x.createdAt)}</td>
                    <td>{x.assignee ?? ''}</td>
                    <td className="actions">
                      {x.status === 'requested' && (
                        <button type="button" disabled={busyId === x.id} onClick={() => void act(x.id, claim)}>{t('worklist.claim')}</button>
                      )}
                      {x.assignee === me.user && (x.status === 'assigned' || x.status === 'inReading') && (
                        <button type="button" disabled={busyId === x.id} onClick={() => void act(x.id, release)}>{t('worklist.release')}</button>
                      )}
                      <button type="button" className="primary" onClick={open}>{t('worklist.open')}</button>
                    </td>
                  </tr>
                );
              })}
              {last < visible.length && <tr aria-hidden="true" style={{ height: (visible.length - last) * ROW_HEIGHT }} />}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
