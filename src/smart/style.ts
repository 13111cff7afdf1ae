/**
 * The EHR's SMART style document (`smart_style_url`) mapped onto Curbside's design tokens.
 * The document is untrusted input that ends up in CSS, so each field is checked against a
 * narrow grammar and anything else is dropped.
 */

type Kind = 'color' | 'length' | 'font';

const FIELDS: ReadonlyArray<readonly [field: string, property: string, kind: Kind]> = [
  ['color_background', '--curbside-color-surface', 'color'],
  ['color_error', '--curbside-color-error', 'color'],
  ['color_highlight', '--curbside-color-accent', 'color'],
  ['color_modal_backdrop', '--curbside-color-backdrop', 'color'],
  ['color_success', '--curbside-color-success', 'color'],
  ['color_text', '--curbside-color-text', 'color'],
  ['dim_border_radius', '--curbside-radius', 'length'],
  ['dim_font_size', '--curbside-font-size', 'length'],
  ['dim_spacing_size', '--curbside-spacing', 'length'],
  ['font_family_body', '--curbside-font-family', 'font'],
  ['font_family_heading', '--curbside-font-family-heading', 'font'],
];

const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
// Numbers, percentages, angles and the separators of both the comma and the space syntax; no
// nested functions, so nothing like url() or var() can appear.
const FUNCTION_COLOR = /^(?:rgba?|hsla?)\(\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:%|deg|grad|rad|turn)?(?:\s*[\s,/]\s*[-+]?(?:\d+\.?\d*|\.\d+)%?){2,3}\s*\)$/i;
// Letters alone cannot leave a declaration; the CSS-wide keywords would reset the token instead of setting it.
const NAMED_COLOR = /^[a-z]{3,20}$/i;
const CSS_WIDE_KEYWORDS = new Set(['inherit', 'initial', 'unset', 'revert', 'revertlayer', 'none']);
const LENGTH = /^(?:0|(?:\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})(?:px|rem|em|pt|%))$/;
const FONT_FAMILY = /^[A-Za-z0-9 "',-]{1,200}$/;

function safeColor(value: string): string | undefined {
  if (HEX_COLOR.test(value) || FUNCTION_COLOR.test(value)) return value;
  if (NAMED_COLOR.test(value) && !CSS_WIDE_KEYWORDS.has(value.toLowerCase())) return value.toLowerCase();
  return undefined;
}

function safeLength(value: string): string | undefined {
  return LENGTH.test(value) ? value : undefined;
}

function safeFontFamily(value: string): string | undefined {
  if (!FONT_FAMILY.test(value)) return undefined;
  // An unclosed quote would swallow whatever CSS follows the value.
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  if (doubles % 2 !== 0 || singles % 2 !== 0) return undefined;
  const families = value.split(',').map((f) => f.trim());
  if (families.some((f) => f === '' || f === '""' || f === "''")) return undefined;
  return families.join(', ');
}

const VALIDATORS: Record<Kind, (value: string) => string | undefined> = {
  color: safeColor,
  length: safeLength,
  font: safeFontFamily,
};

/** Maps a SMART style document onto `--curbside-*` custom properties, keeping only values that pass validation. */
export function smartStyleToCssProperties(json: unknown): Record<string, string> {
  const properties: Record<string, string> = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return properties;
  const doc = json as Record<string, unknown>;
  for (const [field, property, kind] of FIELDS) {
    const raw = doc[field];
    if (typeof raw !== 'string') continue;
    const value = VALIDATORS[kind](raw.trim());
    if (value !== undefined) properties[property] = value;
  }
  return properties;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Fetches the style document once, without credentials, and maps it. Any failure (bad URL,
 * network, HTTP error, non-JSON, abort) yields an empty map: styling is never worth an error.
 */
export async function fetchSmartStyle(url: string, fetchImpl: FetchLike, signal?: AbortSignal): Promise<Record<string, string>> {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return {};
    const response = await fetchImpl(parsed.href, {
      method: 'GET',
      credentials: 'omit',
      redirect: 'follow',
      headers: { accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) return {};
    return smartStyleToCssProperties(await response.json());
  } catch {
    return {};
  }
}
