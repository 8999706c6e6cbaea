import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { acknowledgeCritical, cancelRequest, getReadRequest, getReport, reportPdf, resubmit } from '../api/readRequests';
import { ApiError, errorMessage } from '../api/http';
import { useReadRequestUpdates } from '../api/liveUpdates';
import type { ReadRequestView, ReportView } from '../api/types';
import { PriorityBadge, SlaCell, StatusBadge, useNow } from '../components/badges';
import { Dialog } from '../components/Dialog';
import { LiveIndicator } from '../components/LiveIndicator';
import { RequestFacts } from '../components/RequestFacts';
import { Link } from '../router';

const REPORTED = new Set(['preliminary', 'signed', 'delivered', 'amended']);
/** While no report is final the clinic may withdraw its request (the workflow's transition table). */
const CANCELLABLE = new Set(['requested', 'assigned', 'inReading', 'preliminary', 'returned']);

/** The clinic's view of one request: its state, the signed report, the PDF, and the critical-finding acknowledgement. */
export function RequestPage({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const now = useNow();
  const [request, setRequest] = useState<{ item: ReadRequestView; receivedAt: number } | null>(null);
  const [report, setReport] = useState<ReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelOpen, setCancelOpen] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [dialogError, setDialogError] = useState<string | null>(null);

  const accept = useCallback((item: ReadRequestView) => {
    setRequest({ item, receivedAt: Date.now() });
    if (item.reportVersion > 0 && REPORTED.has(item.status)) {
      getReport(item.id)
        .then(setReport)
        .catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? setReport(null) : setError(errorMessage(e))));
    } else {
      setReport(null);
    }
  }, []);
  const load = useCallback(() => {
    getReadRequest(id).then(accept).catch((e: unknown) => setError(errorMessage(e)));
  }, [id, accept]);
  useEffect(load, [load]);
  const live = useReadRequestUpdates((r) => r.id === id && accept(r), load);

  const pdf = async (mode: 'download' | 'print') => {
    setBusy(true);
    setError(null);
    try {
      const url = URL.createObjectURL(await reportPdf(id));
      if (mode === 'download') {
        const a = document.createElement('a');
        a.href = url;
        a.download = `report-${id}.pdf`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } else {
        // The browser's PDF viewer prints it as signed (fonts and layout of the server's PDF), not this page.
        const frame = document.createElement('iframe');
        frame.className = 'print-frame';
        frame.src = url;
        frame.onload = () => frame.contentWindow?.print();
        document.body.appendChild(frame);
        setTimeout(() => {
          frame.remove();
          URL.revokeObjectURL(url);
        }, 120_000);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const run = async (action: () => Promise<ReadRequestView>) => {
    setBusy(true);
    setError(null);
    try {
      accept(await action());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!request) {
    return <section className="page">{error ? <p role="alert" className="error">{error}</p> : <p role="status">{t('common.loading')}</p>}</section>;
  }
  const r = request.item;
  const needsAck = r.critical.flagged && !r.critical.acknowledgedAt;
  return (
    <section className="page">
      <p><Link to="/portal">← {t('request.back')}</Link></p>
      <div className="page-title">
        <h1>{t('request.title')}</h1>
        <PriorityBadge priority={r.priority} />
        <StatusBadge status={r.status} />
        <SlaCell r={request} now={now} />
        <LiveIndicator state={live} />
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {needsAck && (
        <div className="critical-banner" role="alert">
          <strong>{t('critical.banner')}</strong>
          <button type="button" className="danger" disabled={busy} onClick={() => void run(() => acknowledgeCritical(id))}>
            {t('critical.acknowledge')}
          </button>
        </div>
      )}
      {r.critical.flagged && r.critical.acknowledgedAt && (
        <p className="ok">{t('critical.acknowledged', { by: r.critical.acknowledgedBy ?? '', at: dateTime(r.critical.acknowledgedAt) })}</p>
      )}
      {r.status === 'returned' && r.returnedReason && <p className="warning" role="status">{t('portal.returnedBecause', { reason: r.returnedReason })}</p>}
      {r.status === 'cancelled' && r.cancelReason && <p className="muted">{t('request.cancelledBecause', { reason: r.cancelReason })}</p>}
      <RequestFacts r={r} />
      {CANCELLABLE.has(r.status) && (
        <div className="button-row">
          {r.status === 'returned' && (
            <button type="button" className="primary" disabled={busy} onClick={() => void run(() => resubmit(id))}>{t('request.resubmit')}</button>
          )}
          <button type="button" onClick={() => setCancelOpen(true)}>{t('request.cancel')}</button>
        </div>
      )}
      <section className="report-view" aria-labelledby="report-title">
        <h2 id="report-title">{t('request.report')}</h2>
        {report ? (
          <>
            <p className="muted">
              <span className={`badge report-${report.status}`}>{t(`reportStatus.${report.status}`)}</span>{' '}
              {report.status === 'final' && t('request.signedBy', { by: report.signedBy ?? r.signedBy ?? '', at: dateTime(report.signedAt ?? r.signedAt) })}
              {report.version > 1 && ` · ${t('request.version', { version: report.version })}`}
              {report.amendmentReason && ` · ${t('request.amendedBecause', { reason: report.amendmentReason })}`}
            </p>
            <h3>{t('report.findings')}</h3>
            <p className="report-text" data-testid="report-findings">{report.findings}</p>
            <h3>{t('report.impression')}</h3>
            <p className="report-text" data-testid="report-impression">{report.impression}</p>
            {Object.keys(report.structuredFields ?? {}).length > 0 && (
              <dl className="facts">
                {Object.entries(report.structuredFields).map(([k, v]) => (
                  <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
                ))}
              </dl>
            )}
            {report.status === 'final' && (
              <div className="button-row">
                <button type="button" className="primary" disabled={busy} onClick={() => void pdf('download')}>{t('request.downloadPdf')}</button>
                <button type="button" disabled={busy} onClick={() => void pdf('print')}>{t('request.print')}</button>
              </div>
            )}
          </>
        ) : (
          <p className="empty">{t('request.noReport')}</p>
        )}
      </section>
      <Dialog
        open={cancelOpen}
        title={t('request.cancel')}
        submitLabel={t('request.cancel')}
        danger
        busy={busy}
        error={dialogError}
        onClose={() => setCancelOpen(false)}
        onSubmit={() => {
          if (!cancelReason.trim()) return setDialogError(t('common.reasonRequired'));
          setDialogError(null);
          void run(() => cancelRequest(id, cancelReason.trim())).then(() => setCancelOpen(false));
        }}
      >
        <label>
          {t('common.reason')}
          <textarea required rows={3} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />
        </label>
      </Dialog>
    </section>
  );
}
