// A series' WADO-RS metadata turned into Cornerstone wadors: imageIds, in anatomical order, with the metadata
// registered so the loader and the tools know geometry, pixel format and the default window before any pixel arrives.
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { type DicomJson, num, nums, str } from './dicomweb';

export interface SeriesImages {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  imageIds: string[];
  /** Metadata per imageId (the instance's, for the tags panel). */
  instances: Map<string, DicomJson>;
  /** SOP Instance UID per imageId (for /rendered placeholders). */
  sopOf: Map<string, string>;
  /** Enough parallel, equally spaced slices for a volume (MPR). */
  reconstructable: boolean;
}

/** Whether an instance holds pixels the viewer can show (not SR, PDF, KO, PR...). */
export function hasPixels(instance: DicomJson): boolean {
  return (num(instance, '00280010') ?? 0) > 0 && (num(instance, '00280011') ?? 0) > 0;
}

export function buildSeriesImages(wadoRoot: string, studyUid: string, seriesUid: string, metadata: DicomJson[]): SeriesImages {
  const images = metadata.filter(hasPixels);
  const normal = sliceNormal(images[0]);
  const position = (ds: DicomJson): number | null => {
    const ipp = nums(ds, '00200032');
    return normal && ipp.length === 3 ? ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2] : null;
  };
  const ordered = images
    .map((ds) => ({ ds, pos: position(ds), inst: num(ds, '00200013') ?? 0 }))
    .sort((a, b) => (a.pos !== null && b.pos !== null && a.pos !== b.pos ? a.pos - b.pos : a.inst - b.inst));
  // Head first for axial stacks: the highest position (superior) at the top of the stack, as radiologists scroll.
  if (normal && Math.abs(normal[2]) > 0.5) ordered.reverse();

  const imageIds: string[] = [];
  const instances = new Map<string, DicomJson>();
  const sopOf = new Map<string, string>();
  for (const { ds } of ordered) {
    const sop = str(ds, '00080018');
    const frames = Math.max(1, num(ds, '00280008') ?? 1);
    const base = `wadors:${wadoRoot}/studies/${studyUid}/series/${seriesUid}/instances/${sop}/frames/`;
    // Multi-frame instances register their metadata once (frame 1); the loader derives the other frames from it.
    wadors.metaDataManager.add(`${base}1`, ds as never);
    for (let f = 1; f <= frames; f++) {
      imageIds.push(`${base}${f}`);
      instances.set(`${base}${f}`, ds);
      sopOf.set(`${base}${f}`, sop);
    }
  }
  return {
    studyInstanceUid: studyUid,
    seriesInstanceUid: seriesUid,
    modality: images.length ? str(images[0], '00080060') : '',
    imageIds,
    instances,
    sopOf,
    reconstructable: isReconstructable(ordered.map((o) => o.pos), images.length),
  };
}

function sliceNormal(ds: DicomJson | undefined): [number, number, number] | null {
  if (!ds) return null;
  const o = nums(ds, '00200037');
  if (o.length !== 6) return null;
  const n: [number, number, number] = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  const len = Math.hypot(...n);
  return len > 0 ? [n[0] / len, n[1] / len, n[2] / len] : null;
}

function isReconstructable(positions: (number | null)[], count: number): boolean {
  if (count < 3 || positions.some((p) => p === null)) return false;
  const p = positions as number[];
  const steps = p.slice(1).map((v, i) => Math.abs(v - p[i]));
  const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
  return mean > 0 && steps.every((s) => Math.abs(s - mean) <= Math.max(0.01, mean * 0.05));
}
