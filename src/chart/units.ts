/**
 * Units of measure as EHRs send them, reduced to UCUM and converted. Only the part of UCUM that
 * clinical results use is understood: metric prefixes, mass, length, volume, time, amount of
 * substance, equivalents, enzyme and international units, pressure, customary weights and lengths,
 * and the two offset temperature scales. A unit outside that set is kept as text and only ever
 * compared for equality, never converted.
 */

import { ownKeyTable } from './lookup.ts';

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/** Analyte facts that make conversions between dimensions possible. */
export interface AnalyteConversion {
  /** g/mol, for mass ↔ amount of substance (mg/dL ↔ mmol/L). */
  readonly molarMass?: number;
  /** Charge per particle, for equivalents ↔ moles (mEq/L ↔ mmol/L). */
  readonly valence?: number;
}

type Dimensions = Readonly<Record<string, number>>;

interface ParsedUnit {
  /** Multiply a value in this unit by `factor` (and add `offset`) to get it in base units. */
  readonly factor: number;
  readonly offset: number;
  readonly dims: Dimensions;
}

interface Atom {
  readonly factor: number;
  readonly dims: Dimensions;
  /** Whether metric prefixes apply. */
  readonly metric: boolean;
}

// Mass is based on the gram, as UCUM does, so pressure carries a factor of 1000 per pascal.
const PASCAL = 1000;
const ATOMS: Readonly<Record<string, Atom>> = ownKeyTable<Atom>({
  g: { factor: 1, dims: { M: 1 }, metric: true },
  m: { factor: 1, dims: { L: 1 }, metric: true },
  L: { factor: 1e-3, dims: { L: 3 }, metric: true },
  l: { factor: 1e-3, dims: { L: 3 }, metric: true },
  s: { factor: 1, dims: { T: 1 }, metric: true },
  min: { factor: 60, dims: { T: 1 }, metric: false },
  h: { factor: 3600, dims: { T: 1 }, metric: false },
  d: { factor: 86_400, dims: { T: 1 }, metric: false },
  wk: { factor: 604_800, dims: { T: 1 }, metric: false },
  mo: { factor: 2_629_800, dims: { T: 1 }, metric: false },
  a: { factor: 31_557_600, dims: { T: 1 }, metric: false },
  mol: { factor: 1, dims: { N: 1 }, metric: true },
  eq: { factor: 1, dims: { EQ: 1 }, metric: true },
  osm: { factor: 1, dims: { OSM: 1 }, metric: true },
  // UCUM defines the enzyme unit as µmol/min, which makes U/L and kat/L convertible.
  U: { factor: 1e-6 / 60, dims: { N: 1, T: -1 }, metric: true },
  kat: { factor: 1, dims: { N: 1, T: -1 }, metric: true },
  '[IU]': { factor: 1, dims: { IU: 1 }, metric: true },
  '[iU]': { factor: 1, dims: { IU: 1 }, metric: true },
  '%': { factor: 0.01, dims: {}, metric: false },
  '[ppm]': { factor: 1e-6, dims: {}, metric: false },
  Pa: { factor: PASCAL, dims: { M: 1, L: -1, T: -2 }, metric: true },
  'm[Hg]': { factor: 133_322.387415 * PASCAL, dims: { M: 1, L: -1, T: -2 }, metric: true },
  'm[H2O]': { factor: 9_806.65 * PASCAL, dims: { M: 1, L: -1, T: -2 }, metric: true },
  '[lb_av]': { factor: 453.59237, dims: { M: 1 }, metric: false },
  '[oz_av]': { factor: 28.349523125, dims: { M: 1 }, metric: false },
  '[in_i]': { factor: 0.0254, dims: { L: 1 }, metric: false },
  '[ft_i]': { factor: 0.3048, dims: { L: 1 }, metric: false },
  K: { factor: 1, dims: { TEMP: 1 }, metric: true },
});

/** Offset scales cannot be multiplied or divided, so they are whole units on their own. */
const TEMPERATURE_SCALES: Readonly<Record<string, ParsedUnit>> = ownKeyTable<ParsedUnit>({
  Cel: { factor: 1, offset: 273.15, dims: { TEMP: 1 } },
  '[degF]': { factor: 5 / 9, offset: 273.15 - (32 * 5) / 9, dims: { TEMP: 1 } },
});

const PREFIXES: Readonly<Record<string, number>> = {
  da: 1e1, h: 1e2, k: 1e3, M: 1e6, G: 1e9, T: 1e12, d: 1e-1, c: 1e-2, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12, f: 1e-15, a: 1e-18,
};

const cache = new Map<string, ParsedUnit | null>();

function parseUnit(unit: string): ParsedUnit | undefined {
  let parsed = cache.get(unit);
  if (parsed === undefined) {
    parsed = TEMPERATURE_SCALES[unit] ?? parseTerm(unit) ?? null;
    // Units repeat across thousands of results; parse each spelling once.
    if (cache.size < 2000) cache.set(unit, parsed);
  }
  return parsed ?? undefined;
}

/** `term := ['/'] component (('.' | '/') component)*`, with parentheses and `{annotations}`. */
function parseTerm(text: string): ParsedUnit | undefined {
  if (text === '') return undefined;
  let factor = 1;
  const dims: Record<string, number> = {};
  let sign = 1;
  let i = 0;
  if (text[0] === '/') {
    sign = -1;
    i = 1;
  }
  while (i <= text.length) {
    let end = i;
    let depth = 0;
    let braces = false;
    for (; end < text.length; end++) {
      const ch = text[end];
      if (ch === '{') braces = true;
      else if (ch === '}') braces = false;
      else if (braces) continue;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (depth === 0 && (ch === '.' || ch === '/')) break;
    }
    const piece = parseComponent(text.slice(i, end));
    if (!piece) return undefined;
    factor *= piece.factor ** sign;
    for (const [dim, power] of Object.entries(piece.dims)) dims[dim] = (dims[dim] ?? 0) + power * sign;
    if (end >= text.length) break;
    sign = text[end] === '/' ? -1 : 1;
    i = end + 1;
  }
  return { factor, offset: 0, dims: clean(dims) };
}

function parseComponent(raw: string): ParsedUnit | undefined {
  // An annotation only labels what is counted ("{cells}/uL", "mL/min/{1.73_m2}").
  const text = raw.replace(/\{[^}]*\}/g, '');
  if (text === '') return raw === '' ? undefined : { factor: 1, offset: 0, dims: {} };
  const group = /^\((.*)\)([+-]?\d+)?$/.exec(text);
  if (group) {
    const inner = parseTerm(group[1] ?? '');
    return inner ? power(inner, Number(group[2] ?? 1)) : undefined;
  }
  const ten = /^10[*^]([+-]?\d+)$/.exec(text);
  if (ten) return { factor: 10 ** Number(ten[1]), offset: 0, dims: {} };
  if (/^\d+$/.test(text)) return { factor: Number(text), offset: 0, dims: {} };
  const match = /^(.*?[^\d+-])([+-]?\d+)?$/.exec(text);
  if (!match) return undefined;
  const atom = symbol(match[1] ?? '');
  return atom ? power(atom, Number(match[2] ?? 1)) : undefined;
}

function symbol(text: string): ParsedUnit | undefined {
  const whole = ATOMS[text];
  if (whole) return { factor: whole.factor, offset: 0, dims: whole.dims };
  for (const prefix of ['da', ...Object.keys(PREFIXES).filter((p) => p !== 'da')]) {
    if (!text.startsWith(prefix)) continue;
    const atom = ATOMS[text.slice(prefix.length)];
    if (atom?.metric) return { factor: PREFIXES[prefix]! * atom.factor, offset: 0, dims: atom.dims };
  }
  return undefined;
}

function power(unit: ParsedUnit, exponent: number): ParsedUnit {
  const dims: Record<string, number> = {};
  for (const [dim, p] of Object.entries(unit.dims)) dims[dim] = p * exponent;
  return { factor: unit.factor ** exponent, offset: 0, dims: clean(dims) };
}

function clean(dims: Record<string, number>): Dimensions {
  const out: Record<string, number> = {};
  for (const [dim, p] of Object.entries(dims)) if (p !== 0) out[dim] = p;
  return out;
}

/** `a - b` per dimension. */
function difference(a: Dimensions, b: Dimensions): Dimensions {
  const out: Record<string, number> = { ...a };
  for (const [dim, p] of Object.entries(b)) out[dim] = (out[dim] ?? 0) - p;
  return clean(out);
}

/** The k for which `diff` is k × (one − other), or undefined. */
function multipleOf(diff: Dimensions, one: string, other: string): number | undefined {
  const keys = Object.keys(diff);
  if (keys.length !== 2 || diff[one] === undefined || diff[one] !== -(diff[other] ?? 0)) return undefined;
  return diff[one];
}

/** True when the text is a unit this module understands. */
export function isKnownUnit(unit: string): boolean {
  return parseUnit(unit) !== undefined;
}

/**
 * Converts a value between two UCUM units; undefined when they measure different things. A molar
 * mass bridges mass and amount of substance, a valence bridges equivalents and moles.
 */
export function convertUnit(value: number, from: string, to: string, analyte: AnalyteConversion = {}): number | undefined {
  if (from === to) return value;
  const a = parseUnit(from);
  const b = parseUnit(to);
  if (!a || !b) return undefined;
  const diff = difference(a.dims, b.dims);
  const base = value * a.factor + a.offset;
  if (Object.keys(diff).length === 0) return (base - b.offset) / b.factor;
  if (a.offset !== 0 || b.offset !== 0) return undefined;
  const molar = analyte.molarMass !== undefined ? multipleOf(diff, 'N', 'M') : undefined;
  if (molar !== undefined) return (base * analyte.molarMass! ** molar) / b.factor;
  const equivalents = analyte.valence !== undefined ? multipleOf(diff, 'EQ', 'N') : undefined;
  if (equivalents !== undefined) return (base * (1 / analyte.valence!) ** equivalents) / b.factor;
  return undefined;
}

/** Display spellings that are not UCUM, seen from Epic, Oracle Health and hand-entered results. */
const WHOLE_ALIASES: Readonly<Record<string, string>> = ownKeyTable({
  mmhg: 'mm[Hg]',
  'mm hg': 'mm[Hg]',
  cmh2o: 'cm[H2O]',
  degc: 'Cel',
  '°c': 'Cel',
  c: 'Cel',
  cel: 'Cel',
  celsius: 'Cel',
  degf: '[degF]',
  '°f': '[degF]',
  f: '[degF]',
  fahrenheit: '[degF]',
  lb: '[lb_av]',
  lbs: '[lb_av]',
  pound: '[lb_av]',
  pounds: '[lb_av]',
  oz: '[oz_av]',
  ounce: '[oz_av]',
  ounces: '[oz_av]',
  in: '[in_i]',
  inch: '[in_i]',
  inches: '[in_i]',
  ft: '[ft_i]',
  feet: '[ft_i]',
  bpm: '/min',
  'beats/min': '/min',
  'beats/minute': '/min',
  'breaths/min': '/min',
  'breaths/minute': '/min',
  'per min': '/min',
  kgm2: 'kg/m2',
  'kg/m^2': 'kg/m2',
  percent: '%',
  inr: '{INR}',
  ratio: '{ratio}',
});

/**
 * The UCUM spelling of a unit as an EHR sent it: the UCUM `code` when the quantity says its system
 * is UCUM, else the display `unit` with common aliases undone (Oracle's `mmHg`, `degC`, `mcg`,
 * `mcmol/L`; `µ` and `μ` for `u`; Epic's `10*6/µL`). Undefined when no unit was sent.
 */
export function quantityUnit(quantity: Readonly<Record<string, unknown>>): string | undefined {
  const code = typeof quantity.code === 'string' ? quantity.code.trim() : '';
  if (quantity.system === UCUM_SYSTEM && code) return code;
  const unit = typeof quantity.unit === 'string' ? quantity.unit.trim() : '';
  const raw = unit || code;
  return raw ? normalizeUnitText(raw) : undefined;
}

/** Undoes display spellings; returns the text unchanged (trimmed) when nothing is recognised. */
export function normalizeUnitText(raw: string): string {
  const text = raw.trim();
  const whole = WHOLE_ALIASES[text.toLowerCase()];
  if (whole) return whole;
  let unit = text
    .replace(/[µμ]/g, 'u')
    .replace(/\bmc(?=(g|mol|L|l|IU)\b)/g, 'u')
    .replace(/mEq/gi, 'meq')
    .replace(/\bmOsm/gi, 'mosm')
    .replace(/1\.73\s*_?m\^?2/g, '{1.73_m2}')
    .replace(/\{\{1\.73_m2\}\}/g, '{1.73_m2}')
    .replace(/\s+/g, '');
  unit = unit
    .replace(/^(?:x|X)?10(?:E|\^)(\d+)/, '10*$1')
    .replace(/^K\//, '10*3/')
    .replace(/(^|[^[])\b([munp]?)IU\b/g, '$1$2[IU]')
    .replace(/\bhr\b/g, 'h')
    .replace(/\bsec\b/g, 's')
    .replace(/^mmHg$/i, 'mm[Hg]');
  return unit;
}
