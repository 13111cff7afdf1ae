/**
 * The case summary on the wire: format version 2, a compact JSON form of `CaseSummary` that a
 * model reads like the plain object but that costs about half the tokens. Nothing is dropped:
 * `decodeCaseSummary(encodeCaseSummary(s))` deep-equals `s`.
 *
 * Version 1 was `JSON.stringify(summary)`. Version 2, explained to the model by `WIRE_LEGEND`:
 *   - codes are strings "SNOMED:77386006", "ICD10CM:Z33.1", "LOINC:2345-7", "RxNorm:314076",
 *     followed by the code's own display after a space when it has one; a code from any other
 *     system (or one that would not read back) keeps the v1 object;
 *   - series are grouped by category (`vitals`, `labs`, `otherResults`) when they come in that
 *     order, and their values are tuples `[id, daysAgo, value, flag?]`;
 *   - a series' reference range is `ref: [low, high]` (null for a missing end); `abnormal` is left
 *     out when it is "normal" and there is a range (null then says "not assessed"); `total` only
 *     when fewer values are sent than the chart has;
 *   - times are `onset`, `abated`, `started` and `daysAgo`, all in days before today;
 *   - empty lists, null age, sex and encounter, deceased false and empty codes are left out.
 * In memory the summary keeps its own `version: 1` (the structure did not change).
 *
 * `<`, `>` and `&` are written as JSON escapes, so chart text can never spell the prompt's closing
 * delimiter; `wireJson` is the one place that does it, for the whole payload and for the costing
 * of each fact alike.
 */
import type { Code } from '../chart/types.ts';
import type { CaseAllergy, CaseMedication, CaseNote, CaseProblem, CaseSeries, CaseSeriesPoint, CaseSummary } from '../insight/types.ts';

export const WIRE_VERSION = 2;

/** For the system prompt: how to read the v2 case summary. Short: it rides on every request. */
export const WIRE_LEGEND =
  'Case format: codes are "SYSTEM:code", then any display; series points are [id, daysAgo, value, flag?]; ref is [low, high]; ' +
  'a series with a ref and no abnormal is in range; total counts the chart\'s values when fewer are sent; ' +
  'onset, abated, started and daysAgo are days before today; absent fields are empty or false.';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['SNOMED', 'http://snomed.info/sct'],
  ['ICD10CM', 'http://hl7.org/fhir/sid/icd-10-cm'],
  ['LOINC', 'http://loinc.org'],
  ['RxNorm', 'http://www.nlm.nih.gov/research/umls/rxnorm'],
];
const PREFIX_OF: ReadonlyMap<string, string> = new Map(PREFIXES.map(([prefix, uri]) => [uri, prefix]));
const URI_OF: ReadonlyMap<string, string> = new Map(PREFIXES);
const CODE_STRING = /^(SNOMED|ICD10CM|LOINC|RxNorm):(\S+)(?: ([\s\S]+))?$/;

const GROUPS: ReadonlyArray<readonly [string, CaseSeries['category']]> = [
  ['vitals', 'vital-signs'],
  ['labs', 'laboratory'],
  ['otherResults', 'other'],
];

/** The exact text of a wire value: compact JSON with `<`, `>` and `&` escaped. */
export function wireJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function put(target: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) target[key] = value;
}

// ─── Encoding ───────────────────────────────────────────────────────────────────────────────

export function encodeCode(c: Code): Json {
  const prefix = c.system === undefined ? undefined : PREFIX_OF.get(c.system);
  if (prefix && c.code && /^\S+$/.test(c.code) && c.display !== '') {
    return c.display === undefined ? `${prefix}:${c.code}` : `${prefix}:${c.code} ${c.display}`;
  }
  const out: JsonObject = {};
  put(out, 'system', c.system);
  put(out, 'code', c.code);
  put(out, 'display', c.display);
  return out;
}

function codes(list: readonly Code[], out: JsonObject): void {
  if (list.length > 0) out.codes = list.map(encodeCode);
}

export function encodeProblem(p: CaseProblem): JsonObject {
  const out: JsonObject = { id: p.id, name: p.display };
  codes(p.codes, out);
  put(out, 'status', p.status);
  put(out, 'category', p.category);
  put(out, 'onset', p.onsetDaysAgo);
  put(out, 'abated', p.abatedDaysAgo);
  return out;
}

export function encodeMedication(m: CaseMedication): JsonObject {
  const out: JsonObject = { id: m.id, name: m.display };
  codes(m.codes, out);
  put(out, 'status', m.status);
  put(out, 'dosage', m.dosage);
  put(out, 'started', m.startedDaysAgo);
  return out;
}

export function encodeAllergy(a: CaseAllergy): JsonObject {
  const out: JsonObject = { id: a.id, name: a.display };
  put(out, 'criticality', a.criticality);
  if (a.reactions.length > 0) out.reactions = [...a.reactions];
  return out;
}

export function encodePoint(p: CaseSeriesPoint): Json[] {
  return p.flag === undefined ? [p.id, p.daysAgo, p.value] : [p.id, p.daysAgo, p.value, p.flag];
}

/**
 * A series without its values (`points` is left for the caller) and, when it is sent in a
 * category group, without its category.
 */
export function encodeSeriesHead(s: Omit<CaseSeries, 'points'>, grouped: boolean, pointsSent: number): JsonObject {
  const out: JsonObject = { name: s.display };
  if (s.code !== '') out.loinc = s.code;
  if (!grouped) out.category = s.category;
  put(out, 'unit', s.unit);
  const ranged = s.referenceLow !== undefined || s.referenceHigh !== undefined;
  if (ranged) out.ref = [s.referenceLow ?? null, s.referenceHigh ?? null];
  if (ranged ? s.abnormal !== 'normal' : s.abnormal !== undefined) out.abnormal = s.abnormal ?? null;
  put(out, 'trend', s.trend);
  if (s.totalPoints !== pointsSent) out.total = s.totalPoints;
  return out;
}

export function encodeSeries(s: CaseSeries, grouped: boolean): JsonObject {
  return { ...encodeSeriesHead(s, grouped, s.points.length), points: s.points.map(encodePoint) };
}

export function encodeTextResult(t: CaseSummary['textResults'][number]): JsonObject {
  const out: JsonObject = { id: t.id, name: t.display };
  put(out, 'daysAgo', t.daysAgo);
  out.text = t.text;
  return out;
}

export function encodeNote(n: CaseNote): JsonObject {
  const out: JsonObject = { id: n.id, title: n.title };
  put(out, 'daysAgo', n.daysAgo);
  out.text = n.text;
  return out;
}

/** Whether the series come vitals first, then labs, then others: then they are sent in groups. */
function inGroupOrder(series: readonly CaseSeries[]): boolean {
  const rank = (s: CaseSeries): number => GROUPS.findIndex(([, category]) => category === s.category);
  return series.every((s, i) => rank(s) >= 0 && (i === 0 || rank(series[i - 1]!) <= rank(s)));
}

/** Everything but the facts: what a summary with no facts sends. */
export function encodeHeader(summary: Pick<CaseSummary, 'age' | 'sex' | 'deceased' | 'encounter' | 'unavailableSections'>): JsonObject {
  const out: JsonObject = { version: WIRE_VERSION };
  if (summary.age !== null) out.age = summary.age;
  if (summary.sex !== null) out.sex = summary.sex;
  if (summary.deceased) out.deceased = true;
  const e = summary.encounter;
  if (e) {
    const encounter: JsonObject = { id: e.id };
    put(encounter, 'class', e.class);
    put(encounter, 'type', e.type);
    put(encounter, 'reason', e.reason);
    put(encounter, 'started', e.startedDaysAgo);
    out.encounter = encounter;
  }
  if (summary.unavailableSections.length > 0) out.unavailableSections = [...summary.unavailableSections];
  return out;
}

export function encodeCaseSummary(summary: CaseSummary): JsonObject {
  const { unavailableSections, ...head } = encodeHeader(summary);
  const out: JsonObject = head;
  const list = (key: string, items: Json[]): void => {
    if (items.length > 0) out[key] = items;
  };
  list('problems', summary.problems.map(encodeProblem));
  list('medications', summary.medications.map(encodeMedication));
  list('allergies', summary.allergies.map(encodeAllergy));
  if (inGroupOrder(summary.series)) {
    for (const [key, category] of GROUPS) list(key, summary.series.filter((s) => s.category === category).map((s) => encodeSeries(s, true)));
  } else {
    list('series', summary.series.map((s) => encodeSeries(s, false)));
  }
  list('textResults', summary.textResults.map(encodeTextResult));
  list('notes', summary.notes.map(encodeNote));
  if (unavailableSections !== undefined) out.unavailableSections = unavailableSections;
  return out;
}

// ─── Decoding ───────────────────────────────────────────────────────────────────────────────

class WireError extends Error {}

function fail(what: string): never {
  throw new WireError(`not a v2 case summary: ${what}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (!isObject(value)) fail(what);
  return value;
}

function array(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(what);
  return value;
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') fail(what);
  return value;
}

function number(value: unknown, what: string): number {
  if (typeof value !== 'number') fail(what);
  return value;
}

/** `{ key: value }` when the wire has it (checked by `read`), `{}` when it does not. */
function optional<K extends string, V>(key: K, value: unknown, read: (v: unknown, what: string) => V): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: read(value, key) } as Record<K, V>);
}

function decodeCode(value: unknown): Code {
  if (typeof value === 'string') {
    const match = CODE_STRING.exec(value);
    if (!match) fail(`code ${value}`);
    return { system: URI_OF.get(match[1]!)!, code: match[2]!, ...(match[3] === undefined ? {} : { display: match[3] }) };
  }
  const c = object(value, 'code');
  return { ...optional('system', c.system, string), ...optional('code', c.code, string), ...optional('display', c.display, string) };
}

function decodeProblem(value: unknown): CaseProblem {
  const p = object(value, 'problem');
  return {
    id: string(p.id, 'id'),
    display: string(p.name, 'name'),
    codes: array(p.codes, 'codes').map(decodeCode),
    ...optional('status', p.status, string),
    ...optional('category', p.category, string),
    ...optional('onsetDaysAgo', p.onset, number),
    ...optional('abatedDaysAgo', p.abated, number),
  };
}

function decodeMedication(value: unknown): CaseMedication {
  const m = object(value, 'medication');
  return {
    id: string(m.id, 'id'),
    display: string(m.name, 'name'),
    codes: array(m.codes, 'codes').map(decodeCode),
    ...optional('status', m.status, string),
    ...optional('dosage', m.dosage, string),
    ...optional('startedDaysAgo', m.started, number),
  };
}

function decodeAllergy(value: unknown): CaseAllergy {
  const a = object(value, 'allergy');
  return {
    id: string(a.id, 'id'),
    display: string(a.name, 'name'),
    ...optional('criticality', a.criticality, string),
    reactions: array(a.reactions, 'reactions').map((r) => string(r, 'reaction')),
  };
}

function decodePoint(value: unknown): CaseSeriesPoint {
  const p = array(value, 'point');
  if (p.length !== 3 && p.length !== 4) fail('point');
  return { id: string(p[0], 'point id'), daysAgo: number(p[1], 'daysAgo'), value: number(p[2], 'value'), ...optional('flag', p[3], string) };
}

function isCategory(value: unknown): value is CaseSeries['category'] {
  return GROUPS.some(([, category]) => category === value);
}

function decodeSeries(value: unknown, groupCategory: CaseSeries['category'] | undefined): CaseSeries {
  const s = object(value, 'series');
  const category = groupCategory ?? s.category;
  if (!isCategory(category)) fail('series category');
  const ref = s.ref === undefined ? undefined : array(s.ref, 'ref');
  if (ref && ref.length !== 2) fail('ref');
  const [low, high] = (ref ?? [null, null]).map((v) => (v === null ? undefined : number(v, 'ref')));
  const abnormal = s.abnormal === undefined ? (ref ? 'normal' : undefined) : s.abnormal === null ? undefined : string(s.abnormal, 'abnormal');
  const points = array(s.points, 'points').map(decodePoint);
  return {
    code: s.loinc === undefined ? '' : string(s.loinc, 'loinc'),
    display: string(s.name, 'name'),
    category,
    ...optional('unit', s.unit, string),
    ...optional('referenceLow', low, number),
    ...optional('referenceHigh', high, number),
    ...optional('abnormal', abnormal, string),
    ...optional('trend', s.trend, string),
    points,
    totalPoints: s.total === undefined ? points.length : number(s.total, 'total'),
  };
}

function decodeTextResult(value: unknown): CaseSummary['textResults'][number] {
  const t = object(value, 'text result');
  return { id: string(t.id, 'id'), display: string(t.name, 'name'), ...optional('daysAgo', t.daysAgo, number), text: string(t.text, 'text') };
}

function decodeNote(value: unknown): CaseNote {
  const n = object(value, 'note');
  return { id: string(n.id, 'id'), title: string(n.title, 'title'), ...optional('daysAgo', n.daysAgo, number), text: string(n.text, 'text') };
}

function decodeAge(value: unknown): CaseSummary['age'] {
  if (value === undefined) return null;
  if (value === '90+' || typeof value === 'number') return value;
  return fail('age');
}

const SEXES = new Set(['male', 'female', 'other', 'unknown']);

/** The `CaseSummary` a v2 wire object stands for; throws when it is not one. */
export function decodeCaseSummary(wire: unknown): CaseSummary {
  const w = object(wire, 'not an object');
  if (w.version !== WIRE_VERSION) fail('version');
  if (w.sex !== undefined && !SEXES.has(w.sex as string)) fail('sex');
  if (w.deceased !== undefined && w.deceased !== true) fail('deceased');
  const e = w.encounter === undefined ? undefined : object(w.encounter, 'encounter');
  const grouped = GROUPS.some(([key]) => w[key] !== undefined);
  if (grouped && w.series !== undefined) fail('series both grouped and not');
  const series = grouped ? GROUPS.flatMap(([key, category]) => array(w[key], key).map((s) => decodeSeries(s, category))) : array(w.series, 'series').map((s) => decodeSeries(s, undefined));
  return {
    version: 1,
    age: decodeAge(w.age),
    sex: (w.sex as CaseSummary['sex'] | undefined) ?? null,
    deceased: w.deceased === true,
    encounter: e
      ? {
          id: string(e.id, 'encounter id'),
          ...optional('class', e.class, string),
          ...optional('type', e.type, string),
          ...optional('reason', e.reason, string),
          ...optional('startedDaysAgo', e.started, number),
        }
      : null,
    problems: array(w.problems, 'problems').map(decodeProblem),
    medications: array(w.medications, 'medications').map(decodeMedication),
    allergies: array(w.allergies, 'allergies').map(decodeAllergy),
    series,
    textResults: array(w.textResults, 'textResults').map(decodeTextResult),
    notes: array(w.notes, 'notes').map(decodeNote),
    unavailableSections: array(w.unavailableSections, 'unavailableSections').map((s) => string(s, 'section')),
  };
}
