// The RadBridge viewer: a DICOMweb study viewer on Cornerstone3D, framework-agnostic (plain DOM) so the React page,
// a future embed in a partner's portal or a test page can all mount it on any element.
//
// Data flow: QIDO-RS (study, series, the patient's other studies) -> WADO-RS /metadata per series -> wadors: imageIds
// with their metadata registered -> Cornerstone loads /frames through its web-worker codecs. Progressive: the
// server-rendered JPEG of the first image is shown at once while the full-fidelity frame loads, then the rest of
// the series is prefetched (Cornerstone's request pool, prefetch priority) so scrolling never waits.
import {
  Enums,
  RenderingEngine,
  cache,
  eventTarget,
  imageLoadPoolManager,
  imageLoader,
  setVolumesForViewports,
  utilities as csUtils,
  volumeLoader,
  type Types,
} from '@cornerstonejs/core';
import {
  AngleTool,
  CrosshairsTool,
  EllipticalROITool,
  Enums as ToolEnums,
  LengthTool,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  utilities as toolUtils,
} from '@cornerstonejs/tools';
import { initCornerstone, setTokenSource } from './cornerstoneSetup';
import { DicomWebClient, DicomWebError, type SeriesSummary, type StudySummary, type TokenSource } from './dicomweb';
import { measurementSummaries } from './measurements';
import { CT_PRESETS } from './presets';
import { buildSeriesImages, type SeriesImages } from './seriesImages';
import { renderTags } from './tagsPanel';
import { initialState, type PixelStatistics, type ViewerState } from './viewerState';
import './viewer.css';

export interface ViewerOptions {
  studyInstanceUid: string;
  /** DICOMweb root, same origin: '/dicomweb'. */
  dicomwebRoot: string;
  getToken: TokenSource;
  /** Called after every state change (the React page re-renders its header from it). */
  onStateChange?: (state: ViewerState) => void;
}

export interface ViewerHandle {
  readonly state: ViewerState;
  dispose(): void;
}

type Layout = ViewerState['layout'];
const LAYOUTS: Record<Layout, number> = { '1x1': 1, '1x2': 2, '2x2': 4 };
const PRIMARY_TOOLS = [WindowLevelTool.toolName, PanTool.toolName, ZoomTool.toolName, LengthTool.toolName, AngleTool.toolName, EllipticalROITool.toolName];
const TOOL_LABELS: Record<string, string> = {
  [WindowLevelTool.toolName]: 'W/L',
  [PanTool.toolName]: 'Pan',
  [ZoomTool.toolName]: 'Zoom',
  [LengthTool.toolName]: 'Length',
  [AngleTool.toolName]: 'Angle',
  [EllipticalROITool.toolName]: 'Ellipse ROI',
};

let mountCount = 0;

interface Slot {
  id: string;
  root: HTMLDivElement;
  element: HTMLDivElement;
  placeholder: HTMLImageElement;
  info: HTMLDivElement;
  series: SeriesImages | null;
}

export function mountViewer(host: HTMLElement, options: ViewerOptions): ViewerHandle {
  const n = ++mountCount;
  const state = initialState(options.studyInstanceUid);
  window.__radbridgeViewer = state;
  const abort = new AbortController();
  const client = new DicomWebClient(options.dicomwebRoot, options.getToken);
  const wadoRoot = new URL(options.dicomwebRoot, location.origin).toString().replace(/\/$/, '');
  const objectUrls: string[] = [];
  const seriesCache = new Map<string, Promise<SeriesImages>>();
  const thumbnails = new Map<string, Promise<string>>();
  const studySeries = new Map<string, SeriesSummary[]>();
  const cleanups: (() => void)[] = [];
  let disposed = false;
  let renderingEngine: RenderingEngine | null = null;
  let primaryTool = WindowLevelTool.toolName;
  let slots: Slot[] = [];
  let active = 0;
  let firstImageMarked = false;
  const stackGroupId = `rb-stack-${n}`;
  const mprGroupId = `rb-mpr-${n}`;

  // --- DOM ------------------------------------------------------------------------------------------------------
  const root = el('div', 'rbv');
  root.tabIndex = 0;
  const toolbar = el('div', 'rbv-toolbar');
  const body = el('div', 'rbv-body');
  const seriesPanel = el('aside', 'rbv-series');
  const grid = el('div', 'rbv-grid');
  const side = el('aside', 'rbv-side');
  const status = el('div', 'rbv-status');
  const measurementsBox = el('div', 'rbv-measurements');
  const tagsBox = el('div', 'rbv-tags');
  side.append(heading('Measurements'), measurementsBox, heading('DICOM tags'), tagsBox);
  body.append(seriesPanel, grid, side);
  root.append(toolbar, body, status);
  host.append(root);

  const notify = () => {
    status.textContent =
      state.status === 'error'
        ? state.error ?? 'error'
        : state.seriesInstanceUid
          ? `Image ${state.imageIndex + 1}/${state.imageCount} · W ${fmt(state.voi?.windowWidth)} L ${fmt(state.voi?.windowCenter)} · loaded ${state.loadedCount}/${state.imageCount}${state.cine.playing ? ` · cine ${state.cine.fps} fps` : ''}`
          : 'Loading…';
    root.dataset.status = state.status;
    options.onStateChange?.(state);
  };

  const fail = (e: unknown) => {
    if (disposed || (e instanceof DOMException && e.name === 'AbortError')) return;
    state.status = 'error';
    state.error = e instanceof Error ? e.message : String(e);
    root.classList.add('rbv-failed');
    grid.replaceChildren(el('div', 'rbv-error', state.error));
    notify();
  };

  // --- toolbar --------------------------------------------------------------------------------------------------
  const toolButtons = new Map<string, HTMLButtonElement>();
  for (const tool of PRIMARY_TOOLS) {
    const b = button(TOOL_LABELS[tool], () => setPrimaryTool(tool));
    b.dataset.tool = tool;
    toolButtons.set(tool, b);
    toolbar.append(b);
  }
  toolbar.append(separator());
  for (const p of CT_PRESETS) {
    const b = button(`${p.key} ${p.name}`, () => applyPreset(p.windowCenter, p.windowWidth));
    b.dataset.preset = p.name.toLowerCase();
    b.title = `W ${p.windowWidth} / L ${p.windowCenter} (key ${p.key})`;
    toolbar.append(b);
  }
  toolbar.append(separator());
  for (const layout of Object.keys(LAYOUTS) as Layout[]) {
    const b = button(layout.replace('x', '×'), () => setLayout(layout));
    b.dataset.layout = layout;
    toolbar.append(b);
  }
  toolbar.append(separator());
  const cineButton = button('▶ Cine', () => toggleCine());
  cineButton.dataset.action = 'cine';
  const fpsInput = document.createElement('input');
  fpsInput.type = 'number';
  fpsInput.min = '1';
  fpsInput.max = '60';
  fpsInput.value = String(state.cine.fps);
  fpsInput.title = 'frames per second';
  fpsInput.className = 'rbv-fps';
  fpsInput.addEventListener('change', () => {
    state.cine.fps = Math.min(60, Math.max(1, Number(fpsInput.value) || 15));
    if (state.cine.playing) startCine();
    notify();
  });
  const mprButton = button('MPR', () => void toggleMpr());
  mprButton.dataset.action = 'mpr';
  toolbar.append(cineButton, fpsInput, el('span', 'rbv-unit', 'fps'), separator(), mprButton);

  // --- viewports ------------------------------------------------------------------------------------------------
  function activeSlot(): Slot | null {
    return slots[active] ?? null;
  }

  function stackViewport(slot: Slot | null): Types.IStackViewport | null {
    if (!slot || !renderingEngine) return null;
    const vp = renderingEngine.getViewport(slot.id);
    return vp && vp.type === Enums.ViewportType.STACK ? (vp as Types.IStackViewport) : null;
  }

  function makeSlot(i: number): Slot {
    const slotRoot = el('div', 'rbv-vp');
    const element = el('div', 'rbv-vp-canvas');
    const placeholder = document.createElement('img');
    placeholder.className = 'rbv-placeholder';
    placeholder.alt = '';
    placeholder.hidden = true;
    const info = el('div', 'rbv-vp-info');
    slotRoot.append(element, placeholder, info);
    element.addEventListener('contextmenu', (e) => e.preventDefault());
    slotRoot.addEventListener('pointerdown', () => setActive(i), { capture: true });
    slotRoot.addEventListener('dragover', (e) => e.preventDefault());
    slotRoot.addEventListener('drop', (e) => {
      e.preventDefault();
      const data = e.dataTransfer?.getData('application/x-radbridge-series');
      if (!data) return;
      const { study, series } = JSON.parse(data) as { study: string; series: string };
      setActive(i);
      void showSeries(i, study, series).catch(fail);
    });
    for (const [event, handler] of [
      [Enums.Events.STACK_NEW_IMAGE, () => onViewportChanged(i)],
      [Enums.Events.VOI_MODIFIED, () => onViewportChanged(i)],
      [Enums.Events.IMAGE_RENDERED, () => onRendered(i)],
    ] as const) {
      element.addEventListener(event, handler as EventListener);
    }
    return { id: `rb-${n}-vp-${i}`, root: slotRoot, element, placeholder, info, series: null };
  }

  function setLayout(layout: Layout): void {
    if (!renderingEngine || state.mode !== 'stack') {
      state.layout = layout;
      return;
    }
    const count = LAYOUTS[layout];
    const group = ToolGroupManager.getToolGroup(stackGroupId);
    while (slots.length > count) {
      const slot = slots.pop()!;
      toolUtils.cine.stopClip(slot.element);
      group?.removeViewports(renderingEngine.id, slot.id);
      renderingEngine.disableElement(slot.id);
      slot.root.remove();
    }
    while (slots.length < count) {
      const slot = makeSlot(slots.length);
      slots.push(slot);
      grid.append(slot.root);
    }
    grid.dataset.layout = layout;
    state.layout = layout;
    // Elements need their final size before Cornerstone measures them.
    renderingEngine.setViewports(
      slots.map((s) => ({ viewportId: s.id, type: Enums.ViewportType.STACK, element: s.element, defaultOptions: { background: [0, 0, 0] as Types.Point3 } })),
    );
    for (const s of slots) group?.addViewport(s.id, renderingEngine.id);
    for (const [i, s] of slots.entries()) {
      if (s.series) void showSeries(i, s.series.studyInstanceUid, s.series.seriesInstanceUid).catch(fail);
    }
    // New empty viewports get the next series of the study, so 1×2 compares at once.
    const current = studySeries.get(options.studyInstanceUid) ?? [];
    for (const [i, s] of slots.entries()) {
      if (s.series || !current.length) continue;
      const next = current[Math.min(i, current.length - 1)];
      void showSeries(i, next.studyInstanceUid, next.seriesInstanceUid).catch(fail);
    }
    if (active >= slots.length) active = 0;
    setActive(active);
    for (const b of toolbar.querySelectorAll<HTMLButtonElement>('[data-layout]')) b.classList.toggle('rbv-on', b.dataset.layout === layout);
  }

  function setActive(i: number): void {
    active = i;
    for (const [j, s] of slots.entries()) s.root.classList.toggle('rbv-active', j === i);
    onViewportChanged(i);
  }

  function onRendered(i: number): void {
    const slot = slots[i];
    if (!slot) return;
    const vp = stackViewport(slot);
    if (vp && vp.getCurrentImageId() && !slot.placeholder.hidden) {
      slot.placeholder.hidden = true;
    }
    if (!firstImageMarked && vp?.getCurrentImageId()) {
      firstImageMarked = true;
      performance.mark('first-image');
      state.ready = true;
      state.status = 'ready';
      onViewportChanged(i);
    }
  }

  function onViewportChanged(i: number): void {
    if (i !== active) return;
    const slot = slots[i];
    const vp = stackViewport(slot ?? null);
    if (!slot || !vp || !slot.series) {
      notify();
      return;
    }
    state.seriesInstanceUid = slot.series.seriesInstanceUid;
    state.imageIndex = vp.getCurrentImageIdIndex();
    state.imageCount = slot.series.imageIds.length;
    const range = vp.getProperties().voiRange;
    state.voi = range ? csUtils.windowLevel.toWindowLevel(range.lower, range.upper) : null;
    state.loadedCount = slot.series.imageIds.reduce((c, id) => c + (cache.isLoaded(id) ? 1 : 0), 0);
    slot.info.textContent = `${slot.series.modality} · ${state.imageIndex + 1}/${state.imageCount} · W ${fmt(state.voi?.windowWidth)} L ${fmt(state.voi?.windowCenter)}`;
    renderTags(tagsBox, slot.series.instances.get(vp.getCurrentImageId()) ?? null);
    notify();
  }

  function loadSeries(studyUid: string, seriesUid: string): Promise<SeriesImages> {
    const key = `${studyUid}/${seriesUid}`;
    let p = seriesCache.get(key);
    if (!p) {
      p = client.seriesMetadata(studyUid, seriesUid, abort.signal).then((md) => buildSeriesImages(wadoRoot, studyUid, seriesUid, md));
      seriesCache.set(key, p);
    }
    return p;
  }

  async function showSeries(i: number, studyUid: string, seriesUid: string): Promise<void> {
    const series = await loadSeries(studyUid, seriesUid);
    if (!performance.getEntriesByName('metadata-loaded').length) performance.mark('metadata-loaded');
    const slot = slots[i];
    if (disposed || !slot || !renderingEngine) return;
    if (!series.imageIds.length) throw new Error(`series ${seriesUid} has no images to show`);
    slot.series = series;
    const vp = stackViewport(slot);
    if (!vp) return;
    toolUtils.cine.stopClip(slot.element);
    if (i === active) state.cine.playing = false;
    if (!cache.isLoaded(series.imageIds[0])) void showPlaceholder(slot, series);
    await vp.setStack(series.imageIds, 0);
    vp.render();
    markSeriesInList();
    onViewportChanged(i);
    prefetch(series, i);
  }

  /** The series' server-rendered thumbnail (one request per series, shared by the list and the first preview). */
  function thumbnailUrl(s: { studyInstanceUid: string; seriesInstanceUid: string }): Promise<string> {
    let p = thumbnails.get(s.seriesInstanceUid);
    if (!p) {
      p = client.imageUrl(`/studies/${s.studyInstanceUid}/series/${s.seriesInstanceUid}/thumbnail`, abort.signal).then((url) => {
        objectUrls.push(url);
        return url;
      });
      thumbnails.set(s.seriesInstanceUid, p);
    }
    return p;
  }

  /**
   * Progressive display, before the full-fidelity frame: the series thumbnail as soon as the series is known (no
   * metadata needed), then the first image rendered by the server once its SOP Instance UID is known.
   */
  async function showPlaceholder(slot: Slot, series: SeriesImages | SeriesSummary): Promise<void> {
    const firstId = 'imageIds' in series ? series.imageIds[0] : null;
    const sop = firstId && 'sopOf' in series ? series.sopOf.get(firstId) : null;
    try {
      const url = sop
        ? await client.imageUrl(`/studies/${series.studyInstanceUid}/series/${series.seriesInstanceUid}/instances/${sop}/rendered`, abort.signal)
        : await thumbnailUrl(series);
      if (sop) objectUrls.push(url);
      // Only while the real frame has not arrived: a late placeholder must not cover it.
      if (firstImageMarked && (!firstId || cache.isLoaded(firstId))) return;
      if (firstId && stackViewport(slot)?.getCurrentImageId() && cache.isLoaded(firstId)) return;
      slot.placeholder.src = url;
      slot.placeholder.hidden = false;
      if (!firstImageMarked && !performance.getEntriesByName('first-preview').length) performance.mark('first-preview');
    } catch {
      // The placeholder is an optimisation; the full frame follows anyway.
    }
  }

  /** Loads every image of the series into the cache, outward from the shown one, at prefetch priority. */
  function prefetch(series: SeriesImages, i: number): void {
    const start = stackViewport(slots[i] ?? null)?.getCurrentImageIdIndex() ?? 0;
    const ids = series.imageIds;
    const order: string[] = [];
    for (let d = 1; order.length < ids.length - 1; d++) {
      if (start + d < ids.length) order.push(ids[start + d]);
      if (start - d >= 0) order.push(ids[start - d]);
      if (d > ids.length) break;
    }
    // Six at a time: what HTTP/1.1 gives one origin; the shown image's own request goes first (interaction).
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, 6);
    let pending = order.filter((id) => !cache.isLoaded(id)).length;
    const done = () => {
      if (disposed) return;
      pending--;
      if (slots[active]?.series === series) {
        state.loadedCount = ids.reduce((c, id) => c + (cache.isLoaded(id) ? 1 : 0), 0);
        if (pending <= 0) performance.mark(`series-loaded:${series.seriesInstanceUid}`);
        notify();
      }
    };
    for (const id of order) {
      if (cache.isLoaded(id)) continue;
      imageLoadPoolManager.addRequest(
        () => imageLoader.loadAndCacheImage(id, { priority: 0, requestType: Enums.RequestType.Prefetch }).then(done, done),
        Enums.RequestType.Prefetch,
        { imageId: id },
      );
    }
  }

  // --- tools, presets, keyboard, cine ---------------------------------------------------------------------------
  function setPrimaryTool(tool: string): void {
    const group = ToolGroupManager.getToolGroup(state.mode === 'mpr' ? mprGroupId : stackGroupId);
    if (!group) return;
    if (primaryTool !== tool && group.hasTool(primaryTool)) group.setToolPassive(primaryTool);
    primaryTool = tool;
    group.setToolActive(tool, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    for (const [t, b] of toolButtons) b.classList.toggle('rbv-on', t === tool);
  }

  function applyPreset(windowCenter: number, windowWidth: number): void {
    const voiRange = csUtils.windowLevel.toLowHighRange(windowWidth, windowCenter);
    if (state.mode === 'mpr' && renderingEngine) {
      for (const vp of renderingEngine.getViewports()) {
        (vp as Types.IVolumeViewport).setProperties({ voiRange });
        vp.render();
      }
      state.voi = { windowCenter, windowWidth };
      notify();
      return;
    }
    const vp = stackViewport(activeSlot());
    if (!vp) return;
    vp.setProperties({ voiRange });
    vp.render();
    onViewportChanged(active);
  }

  function scrollBy(delta: number): void {
    const vp = stackViewport(activeSlot());
    if (!vp) return;
    const count = vp.getImageIds().length;
    const next = Math.max(0, Math.min(count - 1, vp.getCurrentImageIdIndex() + delta));
    void vp.setImageIdIndex(next);
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    if (!root.isConnected || state.status === 'error') return;
    const preset = CT_PRESETS.find((p) => p.key === e.key);
    if (preset) applyPreset(preset.windowCenter, preset.windowWidth);
    else if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'PageDown') scrollBy(e.key === 'PageDown' ? 10 : 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'PageUp') scrollBy(e.key === 'PageUp' ? -10 : -1);
    else if (e.key === 'Home') scrollBy(-1e9);
    else if (e.key === 'End') scrollBy(1e9);
    else if (e.key === ' ') toggleCine();
    else return;
    e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  cleanups.push(() => window.removeEventListener('keydown', onKey));

  function startCine(): void {
    const slot = activeSlot();
    if (!slot || !stackViewport(slot)) return;
    toolUtils.cine.stopClip(slot.element);
    toolUtils.cine.playClip(slot.element, { framesPerSecond: state.cine.fps, loop: true });
    state.cine.playing = true;
  }

  function toggleCine(): void {
    const slot = activeSlot();
    if (state.cine.playing) {
      if (slot) toolUtils.cine.stopClip(slot.element);
      state.cine.playing = false;
    } else {
      startCine();
    }
    cineButton.textContent = state.cine.playing ? '■ Stop' : '▶ Cine';
    notify();
  }

  const onAnnotation = () => {
    state.measurements = measurementSummaries();
    measurementsBox.replaceChildren(...state.measurements.map((m) => el('div', 'rbv-measurement', `${m.tool}: ${m.text}`)));
    notify();
  };
  for (const ev of [ToolEnums.Events.ANNOTATION_COMPLETED, ToolEnums.Events.ANNOTATION_MODIFIED, ToolEnums.Events.ANNOTATION_REMOVED]) {
    eventTarget.addEventListener(ev, onAnnotation);
    cleanups.push(() => eventTarget.removeEventListener(ev, onAnnotation));
  }

  // --- MPR ------------------------------------------------------------------------------------------------------
  async function toggleMpr(): Promise<void> {
    if (!renderingEngine) return;
    if (state.mode === 'mpr') {
      leaveMpr();
      return;
    }
    const series = activeSlot()?.series;
    if (!series?.reconstructable) {
      status.textContent = 'MPR needs a series of parallel, evenly spaced slices (a CT or MR volume)';
      return;
    }
    const voi = state.voi;
    for (const s of slots) toolUtils.cine.stopClip(s.element);
    state.cine.playing = false;
    ToolGroupManager.getToolGroup(stackGroupId)?.removeViewports(renderingEngine.id);
    for (const s of slots) renderingEngine.disableElement(s.id);
    grid.replaceChildren();
    const orientations = [Enums.OrientationAxis.AXIAL, Enums.OrientationAxis.SAGITTAL, Enums.OrientationAxis.CORONAL];
    const mprSlots = orientations.map((_, i) => {
      const slot = makeSlot(i);
      slot.id = `rb-${n}-mpr-${i}`;
      grid.append(slot.root);
      return slot;
    });
    grid.dataset.layout = 'mpr';
    state.mode = 'mpr';
    renderingEngine.setViewports(
      mprSlots.map((s, i) => ({ viewportId: s.id, type: Enums.ViewportType.ORTHOGRAPHIC, element: s.element, defaultOptions: { orientation: orientations[i], background: [0, 0, 0] as Types.Point3 } })),
    );
    const volumeId = `cornerstoneStreamingImageVolume:${series.seriesInstanceUid}`;
    const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: series.imageIds });
    (volume as unknown as { load: () => void }).load();
    const group = ToolGroupManager.getToolGroup(mprGroupId)!;
    for (const s of mprSlots) group.addViewport(s.id, renderingEngine.id);
    await setVolumesForViewports(renderingEngine, [{ volumeId }], mprSlots.map((s) => s.id));
    if (voi) {
      const voiRange = csUtils.windowLevel.toLowHighRange(voi.windowWidth, voi.windowCenter);
      for (const s of mprSlots) (renderingEngine.getViewport(s.id) as Types.IVolumeViewport).setProperties({ voiRange });
    }
    renderingEngine.render();
    mprButton.classList.add('rbv-on');
    setPrimaryTool(primaryTool);
    notify();
  }

  function leaveMpr(): void {
    if (!renderingEngine) return;
    ToolGroupManager.getToolGroup(mprGroupId)?.removeViewports(renderingEngine.id);
    for (const vp of renderingEngine.getViewports()) renderingEngine.disableElement(vp.id);
    grid.replaceChildren();
    const kept = slots.map((s) => s.series);
    slots = [];
    state.mode = 'stack';
    mprButton.classList.remove('rbv-on');
    setLayout(state.layout);
    for (const [i, s] of kept.entries()) if (s && slots[i]) void showSeries(i, s.studyInstanceUid, s.seriesInstanceUid).catch(fail);
    setPrimaryTool(primaryTool);
  }

  // --- series and priors panel ----------------------------------------------------------------------------------
  function markSeriesInList(): void {
    const shown = new Set(slots.map((s) => s.series?.seriesInstanceUid));
    for (const item of seriesPanel.querySelectorAll<HTMLElement>('[data-series]')) item.classList.toggle('rbv-shown', shown.has(item.dataset.series));
  }

  function seriesItem(s: SeriesSummary): HTMLElement {
    const item = el('div', 'rbv-series-item');
    item.dataset.series = s.seriesInstanceUid;
    item.draggable = true;
    const img = document.createElement('img');
    img.alt = '';
    img.className = 'rbv-thumb';
    const label = el('div', 'rbv-series-label', `${s.modality} ${s.seriesNumber ?? ''} ${s.seriesDescription}`.trim());
    label.append(el('small', '', ` · ${s.numberOfInstances} img`));
    item.append(img, label);
    const viewable = !['SR', 'DOC', 'KO', 'PR'].includes(s.modality);
    if (viewable) {
      thumbnailUrl(s)
        .then((url) => (img.src = url))
        .catch(() => img.classList.add('rbv-thumb-missing'));
      item.addEventListener('click', () => {
        if (state.mode === 'mpr') leaveMpr();
        void showSeries(active, s.studyInstanceUid, s.seriesInstanceUid).catch(fail);
      });
      item.addEventListener('dragstart', (e) =>
        e.dataTransfer?.setData('application/x-radbridge-series', JSON.stringify({ study: s.studyInstanceUid, series: s.seriesInstanceUid })),
      );
    } else {
      item.classList.add('rbv-not-viewable');
      item.draggable = false;
    }
    return item;
  }

  function studyHeading(study: StudySummary | null, prior: boolean): HTMLElement {
    const h = el('div', prior ? 'rbv-study rbv-prior' : 'rbv-study');
    h.textContent = study ? `${prior ? 'Prior · ' : ''}${formatDate(study.studyDate)} ${study.modalities} ${study.studyDescription}`.trim() : 'Study';
    return h;
  }

  async function loadPriors(study: StudySummary): Promise<void> {
    if (!study.patientId) return;
    const others = (await client.studiesOfPatient(study.patientId, abort.signal)).filter((s) => s.studyInstanceUid !== study.studyInstanceUid);
    state.priorStudyInstanceUids = others.map((s) => s.studyInstanceUid);
    for (const prior of others) {
      const series = await client.series(prior.studyInstanceUid, abort.signal);
      studySeries.set(prior.studyInstanceUid, series);
      const box = el('div', 'rbv-study-box');
      box.dataset.study = prior.studyInstanceUid;
      box.append(studyHeading(prior, true), ...series.map(seriesItem));
      seriesPanel.append(box);
    }
    notify();
  }

  // --- start ----------------------------------------------------------------------------------------------------
  async function start(): Promise<void> {
    performance.mark('viewer-mount');
    setTokenSource(options.getToken);
    const [, study, series] = await Promise.all([
      initCornerstone(),
      client.study(options.studyInstanceUid, abort.signal),
      client.series(options.studyInstanceUid, abort.signal),
    ]);
    performance.mark('series-listed');
    if (disposed) return;
    if (!study || !series.length) throw new DicomWebError(404, `${options.dicomwebRoot}/studies/${options.studyInstanceUid}`);
    studySeries.set(options.studyInstanceUid, series);
    // The first series' metadata and its first frame are requested now, while the rendering engine and its WebGL
    // context are being created (hundreds of milliseconds with a software GL), not after.
    const first = series.find((s) => !['SR', 'DOC', 'KO', 'PR'].includes(s.modality)) ?? series[0];
    void loadSeries(first.studyInstanceUid, first.seriesInstanceUid)
      .then((s) => (s.imageIds.length ? imageLoader.loadAndCacheImage(s.imageIds[0]) : undefined))
      .catch(() => {
        // showSeries below reports a failure of the same requests.
      });
    const box = el('div', 'rbv-study-box');
    box.dataset.study = study.studyInstanceUid;
    box.append(studyHeading(study, false), ...series.map(seriesItem));
    seriesPanel.append(box);

    renderingEngine = new RenderingEngine(`rb-engine-${n}`);
    const stackGroup = ToolGroupManager.createToolGroup(stackGroupId)!;
    const mprGroup = ToolGroupManager.createToolGroup(mprGroupId)!;
    for (const group of [stackGroup, mprGroup]) {
      for (const tool of PRIMARY_TOOLS) group.addTool(tool);
      group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
      group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
    }
    stackGroup.addTool(StackScrollTool.toolName);
    stackGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
    mprGroup.addTool(CrosshairsTool.toolName);
    mprGroup.addTool(StackScrollTool.toolName);
    mprGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });

    slots = [makeSlot(0)];
    grid.append(slots[0].root);
    void showPlaceholder(slots[0], first);
    setLayout('1x1');
    setPrimaryTool(WindowLevelTool.toolName);
    await showSeries(0, first.studyInstanceUid, first.seriesInstanceUid);
    void loadPriors(study).catch(() => {
      // Priors are a convenience: the study itself is shown whatever happens to them.
    });
  }

  const pixelStatistics = (): PixelStatistics | null => {
    const vp = stackViewport(activeSlot());
    const image = vp ? cache.getImage(vp.getCurrentImageId()) : undefined;
    if (!image) return null;
    const px = image.getPixelData();
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let k = 0; k < px.length; k++) {
      const v = px[k];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return { min, max, mean: sum / px.length, count: px.length, scaled: image.preScale?.scaled ?? false, slope: image.slope, intercept: image.intercept };
  };
  window.__radbridgeViewerPixels = pixelStatistics;

  const resizeObserver = new ResizeObserver(() => renderingEngine?.resize(true, true));
  resizeObserver.observe(grid);
  cleanups.push(() => resizeObserver.disconnect());
  notify();
  void start().catch(fail);

  return {
    state,
    dispose() {
      if (disposed) return;
      disposed = true;
      abort.abort();
      imageLoadPoolManager.clearRequestStack(Enums.RequestType.Prefetch);
      for (const s of slots) toolUtils.cine.stopClip(s.element);
      for (const c of cleanups) c();
      ToolGroupManager.destroyToolGroup(stackGroupId);
      ToolGroupManager.destroyToolGroup(mprGroupId);
      renderingEngine?.destroy();
      for (const url of objectUrls) URL.revokeObjectURL(url);
      root.remove();
      if (window.__radbridgeViewer === state) delete window.__radbridgeViewer;
      if (window.__radbridgeViewerPixels === pixelStatistics) delete window.__radbridgeViewerPixels;
    },
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'rbv-button', label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function separator(): HTMLElement {
  return el('span', 'rbv-sep');
}

function heading(text: string): HTMLElement {
  return el('h3', 'rbv-heading', text);
}

function fmt(v: number | undefined): string {
  return v === undefined ? '–' : String(Math.round(v));
}

function formatDate(d: string): string {
  return /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d;
}
