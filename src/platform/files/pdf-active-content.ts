import { inflateSync } from 'node:zlib';

// Active content in a PDF: JavaScript and actions that run by themselves (ISO 32000-1 12.6: /OpenAction
// on the catalogue, /AA additional actions on pages, fields and annotations, /Launch, /JavaScript name
// trees). The decision (docs/security-input.md): such a PDF is refused at upload, and a PDF that cannot
// be scanned fully (encrypted, or an object stream that does not inflate) is accepted but only ever
// served as a download, never inline. Names are compared after decoding `#xx` escapes (`/J#61vaScript`),
// and compressed object streams (PDF 1.5), where dictionaries can hide, are inflated and scanned too.

/** The names whose presence makes a PDF active. */
const ACTIVE_NAMES: ReadonlySet<string> = new Set(['JavaScript', 'JS', 'OpenAction', 'AA', 'Launch', 'SubmitForm', 'ImportData', 'RichMedia']);

/** Inflating stops past this many bytes in total (a zip bomb is "not scannable", not an outage). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export interface PdfScan {
  /** Active names found (decoded), e.g. `['OpenAction', 'JS']`. */
  active: string[];
  /** False when part of the file could not be scanned (encryption, a stream that did not inflate). */
  complete: boolean;
}

// A PDF name: a solidus then regular characters (ISO 32000-1 7.3.5).
const NAME = /\/([^\s/[\]<>(){}%]+)/g;

function namesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(NAME)) {
    const raw = m[1] ?? '';
    names.add(raw.includes('#') ? raw.replace(/#([0-9a-fA-F]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))) : raw);
  }
  return names;
}

/**
 * Scans a PDF for JavaScript and automatic actions.
 * @param bytes - the whole file
 * @returns what was found, and whether the scan saw everything
 */
export function scanPdf(bytes: Uint8Array): PdfScan {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const found = new Set<string>();
  const collect = (names: Set<string>) => {
    for (const n of names) if (ACTIVE_NAMES.has(n)) found.add(n);
  };
  const top = namesIn(text);
  collect(top);
  let complete = !top.has('Encrypt');
  let inflated = 0;
  // Object streams: `<< ... /Type /ObjStm ... >> stream <data> endstream`.
  const streamRe = /stream\r?\n/g;
  for (let m = streamRe.exec(text); m; m = streamRe.exec(text)) {
    const dictStart = text.lastIndexOf('<<', m.index);
    const dict = dictStart >= 0 ? namesIn(text.slice(Math.max(dictStart, m.index - 4096), m.index)) : new Set<string>();
    const end = text.indexOf('endstream', m.index + m[0].length);
    if (end < 0) break;
    if (dict.has('ObjStm')) {
      if (!dict.has('FlateDecode') || inflated >= MAX_INFLATED_BYTES) {
        complete = false;
      } else {
        try {
          const out = inflateSync(Buffer.from(bytes.buffer, bytes.byteOffset + m.index + m[0].length, end - m.index - m[0].length), { maxOutputLength: MAX_INFLATED_BYTES - inflated });
          inflated += out.length;
          collect(namesIn(out.toString('latin1')));
        } catch {
          complete = false;
        }
      }
    }
    streamRe.lastIndex = end + 'endstream'.length;
  }
  return { active: [...found], complete };
}

/**
 * Whether a PDF may be shown inline: scanned completely and found passive.
 * @param bytes - the whole file
 * @returns true when it may be shown inside the page
 */
export function pdfIsPassive(bytes: Uint8Array): boolean {
  const scan = scanPdf(bytes);
  return scan.complete && scan.active.length === 0;
}
