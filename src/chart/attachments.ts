/**
 * Note attachments to plain text without a DOM: base64 bytes decoded in their charset, HTML with
 * tags stripped and entities decoded, RTF with its control words stripped. The result is text for
 * reading and for the model, never markup to render.
 */

import { ownKeyTable } from './lookup.ts';

export type TextFormat = 'plain' | 'html' | 'rtf';

/** The text format of a MIME type, or undefined for formats that are not text (PDF, images, XML). */
export function textFormat(contentType: string | undefined): TextFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/plain') return 'plain';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/rtf' || type === 'application/rtf') return 'rtf';
  return undefined;
}

function charsetOf(contentType: string | undefined): string {
  const match = /;\s*charset="?([\w-]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

/** Bytes of a base64 string (standard or URL-safe, whitespace tolerated); undefined when it is not base64. */
export function base64Bytes(data: string): Uint8Array | undefined {
  const clean = data.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  try {
    const binary = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

function decodeBytes(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Plain text of an attachment's content (base64 `data`, or text a server already decoded). */
export function attachmentText(content: { readonly base64?: string; readonly text?: string }, contentType: string | undefined): string | undefined {
  const format = textFormat(contentType);
  if (!format) return undefined;
  let raw = content.text;
  if (raw === undefined && content.base64 !== undefined) {
    const bytes = base64Bytes(content.base64);
    if (!bytes) return undefined;
    // RTF is 7-bit with escapes for everything else; its bytes are Windows-1252 when not escaped.
    raw = decodeBytes(bytes, format === 'rtf' ? 'windows-1252' : charsetOf(contentType));
  }
  if (raw === undefined) return undefined;
  const plain = format === 'html' ? htmlToText(raw) : format === 'rtf' ? rtfToText(raw) : raw.replace(/\r\n?/g, '\n');
  const tidy = tidyText(plain);
  return tidy === '' ? undefined : tidy;
}

function tidyText(value: string): string {
  return value
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// HTML

const BLOCK_TAGS = /<\/?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|header|footer|blockquote|pre|hr|dt|dd|title)\b[^>]*>/gi;

const NAMED_ENTITIES: Readonly<Record<string, string>> = ownKeyTable({
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·', deg: '°', plusmn: '±',
  micro: 'µ', times: '×', divide: '÷', le: '≤', ge: '≥', ne: '≠', copy: '©', reg: '®', trade: '™',
  sup2: '²', sup3: '³', frac12: '½', frac14: '¼', frac34: '¾', para: '¶', sect: '§', shy: '',
  eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', aring: 'å',
  iacute: 'í', iuml: 'ï', oacute: 'ó', ouml: 'ö', ocirc: 'ô', uacute: 'ú', uuml: 'ü', ntilde: 'ñ', ccedil: 'ç',
  szlig: 'ß', Eacute: 'É', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', Ntilde: 'Ñ', alpha: 'α', beta: 'β', mu: 'μ',
});

export function htmlToText(html: string): string {
  const stripped = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(BLOCK_TAGS, '\n')
    .replace(/<\/?(?:td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/[ \t]*\r?\n[ \t]*/g, '\n');
  // Entities are decoded last, so an escaped "&lt;b&gt;" stays text rather than becoming a tag.
  return decodeEntities(stripped.replace(/[ \t]+/g, ' '));
}

export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// ---------------------------------------------------------------------------------------------
// RTF

/** Destinations whose content is formatting or metadata, never note text. */
const SKIPPED_DESTINATIONS = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'header', 'footer', 'headerl', 'headerr', 'footerl', 'footerr',
  'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'themedata', 'colorschememapping',
  'latentstyles', 'datastore', 'mmathPr', 'object', 'fldinst', 'filetbl', 'revtbl', 'pgdsctbl',
]);

const CP1252 = (() => {
  try {
    return new TextDecoder('windows-1252');
  } catch {
    return undefined;
  }
})();

/**
 * A crude RTF reader: keeps the text, turns paragraph and line breaks into newlines, decodes
 * `\'hh` and `\uN` escapes, and drops every other control word and the formatting destinations.
 */
export function rtfToText(rtf: string): string {
  if (!rtf.trimStart().startsWith('{\\rtf')) return rtf;
  let out = '';
  const skipStack: boolean[] = [];
  let skipping = false;
  let unicodeSkip = 1;
  let pendingSkip = 0;
  let i = 0;
  const emit = (s: string): void => {
    if (skipping) return;
    if (pendingSkip > 0) {
      pendingSkip -= 1;
      return;
    }
    out += s;
  };
  while (i < rtf.length) {
    const ch = rtf[i]!;
    if (ch === '{') {
      skipStack.push(skipping);
      i += 1;
      continue;
    }
    if (ch === '}') {
      skipping = skipStack.pop() ?? false;
      i += 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      i += 1;
      continue;
    }
    if (ch !== '\\') {
      emit(ch);
      i += 1;
      continue;
    }
    const next = rtf[i + 1];
    if (next === undefined) break;
    if (next === '\\' || next === '{' || next === '}') {
      emit(next);
      i += 2;
      continue;
    }
    if (next === "'") {
      const byte = parseInt(rtf.slice(i + 2, i + 4), 16);
      if (Number.isFinite(byte)) emit(CP1252 ? CP1252.decode(new Uint8Array([byte])) : String.fromCharCode(byte));
      i += 4;
      continue;
    }
    if (next === '*') {
      // `{\*\destination …}`: an optional destination this reader does not understand.
      skipping = true;
      i += 2;
      continue;
    }
    if (next === '~') {
      emit(' ');
      i += 2;
      continue;
    }
    if (next === '_') {
      emit('-');
      i += 2;
      continue;
    }
    if (next === '\r' || next === '\n') {
      emit('\n');
      i += 2;
      continue;
    }
    const word = /^([a-zA-Z]+)(-?\d+)? ?/.exec(rtf.slice(i + 1, i + 40));
    if (!word) {
      i += 2;
      continue;
    }
    i += 1 + word[0].length;
    const name = word[1]!;
    const param = word[2] !== undefined ? Number(word[2]) : undefined;
    if (SKIPPED_DESTINATIONS.has(name)) skipping = true;
    else if (name === 'par' || name === 'line' || name === 'sect' || name === 'page') emit('\n');
    else if (name === 'tab' || name === 'cell') emit('\t');
    else if (name === 'row') emit('\n');
    else if (name === 'uc' && param !== undefined) unicodeSkip = param;
    else if (name === 'u' && param !== undefined) {
      emit(String.fromCharCode(param < 0 ? param + 65536 : param));
      if (!skipping) pendingSkip = unicodeSkip;
    } else if (name === 'emdash') emit('—');
    else if (name === 'endash') emit('–');
    else if (name === 'bullet') emit('•');
    else if (name === 'lquote' || name === 'rquote') emit("'");
    else if (name === 'ldblquote' || name === 'rdblquote') emit('"');
  }
  return out;
}
