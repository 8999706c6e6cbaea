import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { listReadRequests } from '../api/readRequests';
import { searchStudies, type StudySummary } from '../api/studies';
import { errorMessage } from '../api/http';
import { useReadRequestUpdates } from '../api/liveUpdates';
import type { ReadRequestView } from '../api/types';
import { PriorityBadge, SlaCell, StatusBadge, useNow, type Timed } from '../components/badges';
import { LiveIndicator } from '../components/LiveIndicator';
import { Link } from '../router';
import { UploadPanel } from './UploadPanel';
import { NewRequestDialog } from './NewRequestDialog';

type Tab = 'requests' | 'studies' | 'upload';

/** The clinic's portal: its read requests, its studies (QIDO), and study upload (STOW). */
export function PortalPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('requests');
  const [requests, setRequests] = useState<Timed<ReadRequestView>[] | null>(null);
  const [requestsFailed, setRequestsFailed] = useState(false);
  const [studies, setStudies] = useState<StudySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requestFor, setRequestFor] = useState<StudySummary | null>(null);
  const [patient, setPatient] = useState('');
  const [uploaded, setUploaded] = useState<string[]>([]);

  const loadRequests = useCallback(() => {
    listReadRequests(null)
      .then((items) => {
        const at = Date.now();
        setRequests(items.map((item) => ({ item, receivedAt: at })));
      })
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setRequestsFailed(true);
      });
  }, []);
  const loadStudies = useCallback((filter: string) => {
    searchStudies({ patient: filter })
      .then(setStudies)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(() => {
    loadRequests();
    loadStudies('');
  }, [loadRequests, loadStudies]);

  const live = useReadRequestUpdates(
    (r) =>
      setRequests((list) => {
        if (!list) return list;
        const entry = { item: r, receivedAt: Date.now() };
        const i = list.findIndex((x) => x.item.id === r.id);
        return i < 0 ? [entry, ...list] : list.map((x, j) => (j === i ? entry : x));
      }),
    loadRequests,
  );

  const tabButton = (id: Tab, label: string) => (
    <button type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  const uploadedStudies = (studies ?? []).filter((s) => uploaded.includes(s.studyInstanceUid));

  return (
    <section className="page">
      <div className="page-title">
        <h1>{t('portal.title')}</h1>
        <LiveIndicator state={live} />
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <div role="tablist" className="tabs" aria-label={t('portal.title')}>
        {tabButton('requests', t('portal.tabRequests'))}
        {tabButton('studies', t('portal.tabStudies'))}
        {tabButton('upload', t('portal.tabUpload'))}
      </div>
      {tab === 'requests' && (
        <div role="tabpanel" id="panel-requests" aria-labelledby="tab-requests">
          <ClinicRequests requests={requests} failed={requestsFailed} />
        </div>
      )}
      {tab === 'studies' && (
        <div role="tabpanel" id="panel-studies" aria-labelledby="tab-studies">
          <form
            className="search-row"
            onSubmit={(e) => {
              e.preventDefault();
              loadStudies(patient);
            }}
          >
            <label>
              {t('studies.search')}
              <input type="search" value={patient} onChange={(e) => setPatient(e.target.value)} />
            </label>
            <button type="submit">{t('studies.searchButton')}</button>
          </form>
          <StudiesTable studies={studies} onRequest={setRequestFor} />
        </div>
      )}
      {tab === 'upload' && (
        <div role="tabpanel" id="panel-upload" aria-labelledby="tab-upload">
          <UploadPanel
            onStudies={(uids) => {
              setUploaded(uids);
              loadStudies('');
            }}
          />
          {uploadedStudies.length > 0 && (
            <section aria-labelledby="uploaded-title">
              <h3 id="uploaded-title">{t('upload.uploadedStudies')}</h3>
              <StudiesTable studies={uploadedStudies} onRequest={setRequestFor} />
            </section>
          )}
        </div>
      )}
      <NewRequestDialog study={requestFor} others={studies ?? []} onClose={() => setRequestFor(null)} />
    </section>
  );
}

function ClinicRequests({ requests, failed }: { requests: Timed<ReadRequestView>[] | null; failed: boolean }) {
  const { t, dateTime, dicomDate } = useI18n();
  const now = useNow();
  if (!requests) return failed ? null : <p role="status">{t('common.loading')}</p>;
  if (requests.length === 0) return <p className="empty">{t('portal.noRequests')}</p>;
  const sorted = [...requests].sort((a, b) => b.item.createdAt.localeCompare(a.item.createdAt));
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">{t('col.priority')}</th>
          <th scope="col">{t('col.patient')}</th>
          <th scope="col">{t('col.study')}</th>
          <th scope="col">{t('col.status')}</th>
          <th scope="col">{t('col.slaLeft')}</th>
          <th scope="col">{t('col.created')}</th>
          <th scope="col">{t('col.notes')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => {
          const x = r.item;
          return (
            <tr key={x.id} data-request-id={x.id}>
              <td><PriorityBadge priority={x.priority} /></td>
              <td>
                <Link to={`/requests/${encodeURIComponent(x.id)}`}>{x.patientName || x.patientId || x.studyInstanceUid}</Link>
              </td>
              <td>{x.modality} {dicomDate(x.studyDate)} {x.studyDescription}</td>
              <td><StatusBadge status={x.status} /></td>
              <td><SlaCell r={r} now={now} /></td>
              <td>{dateTime(x.createdAt)}</td>
              <td>
                {x.status === 'returned' && x.returnedReason && <span className="warning">{t('portal.returnedBecause', { reason: x.returnedReason })}</span>}
                {x.critical.flagged && !x.critical.acknowledgedAt && <span className="badge critical">{t('critical.pending')}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function StudiesTable({ studies, onRequest }: { studies: StudySummary[] | null; onRequest: (s: StudySummary) => void }) {
  const { t, dicomDate } = useI18n();
  if (!studies) return <p role="status">{t('common.loading')}</p>;
  if (studies.length === 0) return <p className="empty">{t('studies.none')}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">{t('col.patient')}</th>
          <th scope="col">{t('col.patientId')}</th>
          <th scope="col">{t('col.date')}</th>
          <th scope="col">{t('col.modality')}</th>
          <th scope="col">{t('col.description')}</th>
          <th scope="col">{t('col.instances')}</th>
          <th scope="col"><span className="visually-hidden">{t('col.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        {studies.map((s) => (
          <tr key={s.studyInstanceUid} data-study-uid={s.studyInstanceUid}>
            <td>{s.patientName}</td>
            <td>{s.patientId}</td>
            <td>{dicomDate(s.studyDate)}</td>
            <td>{s.modalities.join(', ')}</td>
            <td>{s.description}</td>
            <td>{s.instances ?? ''}</td>
            <td><button type="button" onClick={() => onRequest(s)}>{t('studies.requestReading')}</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
