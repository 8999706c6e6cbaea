// Gathers the files of a dropped or picked folder. Nothing is parsed here beyond the Part 10 preamble check: the
// archive validates every instance itself, and the browser stays fast on a modest PC with thousands of slices.

export interface PickedFile {
  file: File;
  /** The path inside the dropped or picked folder, for the failure list. */
  path: string;
}

/** Files of a drop, folders walked recursively (webkitGetAsEntry is what every current browser offers for that). */
export async function filesFromDrop(items: DataTransferItemList): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(items)) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  }
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out a directory in chunks (100 in Chromium): read until it returns none.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) break;
    for (const child of chunk) await walk(child, out);
  }
}

export function filesFromInput(list: FileList): PickedFile[] {
  return Array.from(list, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** PS3.10 §7.1: a Part 10 file has a 128-byte preamble then "DICM". Other files of a folder (DICOMDIR is one, but
 * also thumbnails, viewers on a CD) are skipped rather than sent. */
export async function isDicomPart10(file: File): Promise<boolean> {
  if (file.size < 132) return false;
  const magic = new Uint8Array(await file.slice(128, 132).arrayBuffer());
  return magic[0] === 0x44 && magic[1] === 0x49 && magic[2] === 0x43 && magic[3] === 0x4d;
}
