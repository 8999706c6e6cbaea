import { useEffect, useState } from 'react';
import { formatDuration, useI18n } from '../i18n';
import type { Priority, ReadRequestView, RequestStatus, SlaState } from '../api/types';

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useI18n();
  return <span className={`badge priority-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function StatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useI18n();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

/** A clock that ticks every `ms`, for countdowns; one per page keeps 10,000 rows on one timer. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A request as received, with the local time it arrived: the countdown runs from the server's slaSecondsLeft, not from dueAt and the PC's clock (a clinic PC's clock may be off by minutes). */
export interface Timed<T> {
  item: T;
  receivedAt: number;
}

export function slaNow(r: Timed<ReadRequestView>, now: number): { seconds: number; state: SlaState } {
  const seconds = r.item.slaSecondsLeft - (now - r.receivedAt) / 1000;
  const state = r.item.slaState === 'met' ? 'met' : seconds < 0 ? 'breached' : r.item.slaState;
  return { seconds, state };
}

export function SlaCell({ r, now }: { r: Timed<ReadRequestView>; now: number }) {
  const { t } = useI18n();
  const { seconds, state } = slaNow(r, now);
  if (state === 'met') return <span className="sla sla-met">{t('sla.met')}</span>;
  return (
    <span className={`sla sla-${state}`} title={t(`sla.${state}`)}>
      {formatDuration(seconds)}
      <span className="visually-hidden"> {t(`sla.${state}`)}</span>
    </span>
  );
}
