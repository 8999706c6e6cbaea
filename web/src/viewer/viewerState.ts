// The viewer's observable state: what the page shows (status line, W/L readout) and what browser tests and the
// benchmark read through window.__radbridgeViewer.

export interface MeasurementSummary {
  tool: string;
  /** Human-readable value, e.g. "42.1 mm", "87.0°", "mean 38.2 HU, sd 4.1 HU, area 312 mm²". */
  text: string;
  stats: Record<string, number | string>;
}

export interface ViewerState {
  status: 'loading' | 'ready' | 'error';
  /** True once the first image of the study is on screen. */
  ready: boolean;
  error: string | null;
  studyInstanceUid: string;
  /** The active viewport's series, image index (0-based) and image count. */
  seriesInstanceUid: string | null;
  imageIndex: number;
  imageCount: number;
  voi: { windowCenter: number; windowWidth: number } | null;
  /** Images of the active series in the cache (the prefetch's progress). */
  loadedCount: number;
  layout: '1x1' | '1x2' | '2x2';
  mode: 'stack' | 'mpr';
  cine: { playing: boolean; fps: number };
  measurements: MeasurementSummary[];
  priorStudyInstanceUids: string[];
}

/** Statistics of the decoded pixels of the shown image, for tests that compare the browser's codecs with dcmtk. */
export interface PixelStatistics {
  min: number;
  max: number;
  mean: number;
  count: number;
  /** Whether Cornerstone applied the modality rescale (slope, intercept) when decoding. */
  scaled: boolean;
  slope: number;
  intercept: number;
}

declare global {
  interface Window {
    __radbridgeViewer?: ViewerState;
    __radbridgeViewerPixels?: () => PixelStatistics | null;
  }
}

export function initialState(studyInstanceUid: string): ViewerState {
  return {
    status: 'loading',
    ready: false,
    error: null,
    studyInstanceUid,
    seriesInstanceUid: null,
    imageIndex: 0,
    imageCount: 0,
    voi: null,
    loadedCount: 0,
    layout: '1x1',
    mode: 'stack',
    cine: { playing: false, fps: 15 },
    measurements: [],
    priorStudyInstanceUids: [],
  };
}
