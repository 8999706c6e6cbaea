import { useI18n } from '../i18n';
import type { LiveState } from '../api/liveUpdates';

export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useI18n();
  return <span className={`live live-${state}`} role="status">{t(`live.${state}`)}</span>;
}
