// The DICOM tags panel: the current image's attributes (from WADO-RS metadata) as a table, sequences summarised.
import type { DicomJson } from './dicomweb';
import { TAG_NAMES } from './tagNames';

export function renderTags(box: HTMLElement, instance: DicomJson | null): void {
  if (!instance) {
    box.replaceChildren();
    return;
  }
  const table = document.createElement('table');
  table.className = 'rbv-tag-table';
  for (const tag of Object.keys(instance).sort()) {
    const a = instance[tag];
    const row = table.insertRow();
    row.dataset.tag = tag;
    row.insertCell().textContent = `(${tag.slice(0, 4)},${tag.slice(4)})`;
    row.insertCell().textContent = TAG_NAMES[tag.toUpperCase()] ?? '';
    row.insertCell().textContent = a.vr;
    row.insertCell().textContent = valueText(a);
  }
  box.replaceChildren(table);
}

function valueText(a: DicomJson[string]): string {
  if (a.BulkDataURI) return '(bulk data)';
  if (a.InlineBinary) return `(${Math.floor((a.InlineBinary.length * 3) / 4)} bytes)`;
  if (!a.Value) return '';
  if (a.vr === 'SQ') return `(${a.Value.length} item${a.Value.length === 1 ? '' : 's'})`;
  const text = a.Value.map((v) => (v && typeof v === 'object' ? ((v as { Alphabetic?: string }).Alphabetic ?? JSON.stringify(v)) : String(v))).join('\\');
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
