// Cornerstone's annotation state (length, angle, elliptical ROI) as short summaries for the side panel and tests.
import { annotation } from '@cornerstonejs/tools';
import type { MeasurementSummary } from './viewerState';

type Stats = Record<string, unknown>;

const fmt = (v: unknown, digits = 1): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–');

export function measurementSummaries(): MeasurementSummary[] {
  const all = annotation.state.getAllAnnotations();
  return all.map((a) => {
    const tool = a.metadata?.toolName ?? 'annotation';
    const cached = (a.data as { cachedStats?: Record<string, Stats> }).cachedStats ?? {};
    const stats: Stats = Object.values(cached)[0] ?? {};
    const plain: Record<string, number | string> = {};
    for (const [k, v] of Object.entries(stats)) if (typeof v === 'number' || typeof v === 'string') plain[k] = v;
    let text: string;
    switch (tool) {
      case 'Length':
        text = `${fmt(stats.length)} ${stats.unit ?? 'mm'}`;
        break;
      case 'Angle':
        text = `${fmt(stats.angle)}°`;
        break;
      case 'EllipticalROI': {
        const unit = String(stats.modalityUnit ?? '');
        text = `mean ${fmt(stats.mean)} ${unit}, sd ${fmt(stats.stdDev)} ${unit}, area ${fmt(stats.area, 0)} ${stats.areaUnit ?? 'mm²'}`;
        break;
      }
      default:
        text = tool;
    }
    return { tool, text, stats: plain };
  });
}
