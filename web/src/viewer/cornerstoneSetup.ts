// One-time initialisation of Cornerstone3D (core rendering, tools, the DICOM image loader with its web-worker
// codecs). The loader is global, so the bearer token comes from whichever viewer is mounted: setTokenSource.
import { init as coreInit, isCornerstoneInitialized } from '@cornerstonejs/core';
import { init as dicomImageLoaderInit } from '@cornerstonejs/dicom-image-loader';
import {
  init as toolsInit,
  addTool,
  AngleTool,
  EllipticalROITool,
  LengthTool,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
  CrosshairsTool,
} from '@cornerstonejs/tools';
import type { TokenSource } from './dicomweb';

let tokenSource: TokenSource = () => null;
let initialised: Promise<void> | null = null;

export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

/** Initialises Cornerstone once per page; later calls wait for the first. */
export function initCornerstone(): Promise<void> {
  initialised ??= (async () => {
    if (!isCornerstoneInitialized()) coreInit();
    dicomImageLoaderInit({
      // Two cores on a clinic PC is common; decoding beside rendering, not instead of it.
      maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
      // Every frame request carries the signed-in user's token; the archive answers 401/403/404 without it.
      beforeSend: async (): Promise<Record<string, string>> => {
        const token = await tokenSource();
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
    });
    toolsInit();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, CrosshairsTool]) {
      addTool(tool);
    }
  })();
  return initialised;
}
