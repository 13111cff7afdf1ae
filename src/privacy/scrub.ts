/**
 * Removes HIPAA Safe Harbor identifiers from chart text, replacing each with a bracketed
 * placeholder (`[name]`, `[date]`, …) and counting what was removed by kind — never keeping the
 * removed values themselves.
 *
 * Pattern rules catch what has a recognisable shape (dates, phones, emails, URLs, SSNs, long
 * identifiers, street addresses, ZIP codes, IP addresses, ages over 89); names are only caught
 * when they are known (the patient's, the note authors', any the caller adds) or introduced by a
 * title ("Dr. Whitford") or a relation ("daughter Sarah"). Over-removal is accepted: a lost word
 * costs less than a leaked identifier.
 */

export type RedactionKind =
  | 'name'
  | 'date'
  | 'phone'
  | 'email'
  | 'url'
  | 'ssn'
  | 'identifier'
  | 'address'
  | 'postal-code'
  | 'ip-address'
  | 'age-over-89'
  | 'year-over-89'
  | 'hidden-character';

export type RedactionCounts = Partial<Record<RedactionKind, number>>;

export interface KnownValue {
  readonly value: string;
  readonly kind: RedactionKind;
}

export interface ScrubContext {
  /** Full names (any script); each is removed whole and part by part. */
  readonly names: readonly string[];
  /** Exact values to remove wherever they occur, whatever the case or accents (MRNs, address lines, cities). */
  readonly values: readonly KnownValue[];
  /** FHIR ids of the chart's resources; removed when they occur as a whole token. */
  readonly fhirIds: ReadonlySet<string>;
  /** Calendar year of the reference day: years that would reveal an age over 89 are removed. */
  readonly referenceYear: number;
}

export interface Scrubber {
  /** Scrubbed text; `counts` is incremented in place, so one tally can span a whole payload. */
  scrub(text: string, counts: RedactionCounts): string;
}

// ─── Patterns ───────────────────────────────────────────────────────────────────────────────

/** Characters that change nothing visible but can split an identifier so patterns miss it. */
const HIDDEN = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]|[\u{E0000}-\u{E007F}]/gu;

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const MONTH = `(?:${MONTHS})\\.?`;
const ORDINAL = '(?:st|nd|rd|th)?';
/** Word edges that understand non-ASCII letters (JavaScript's `\b` does not). */
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

interface PatternRule {
  readonly kind: RedactionKind;
  readonly pattern: RegExp;
  /** The replacement, or null to leave this match alone. */
  readonly replace: (match: string, ...groups: string[]) => string | null;
}

const PLACEHOLDER: Readonly<Record<RedactionKind, string>> = {
  name: '[name]',
  date: '[date]',
  phone: '[phone]',
  email: '[email]',
  url: '[url]',
  ssn: '[ssn]',
  identifier: '[id]',
  address: '[address]',
  'postal-code': '[zip]',
  'ip-address': '[ip]',
  'age-over-89': '90+',
  'year-over-89': '[year]',
  'hidden-character': '',
};

const placeholder =
  (text: string) =>
  (): string =>
    text;

/** Month names match in any case only when written as a name, not as "may" the verb. */
function monthWritten(match: string): boolean {
  const word = /\p{L}+/u.exec(match.replace(/^[\d\s.,]*(?:st|nd|rd|th)?\s*(?:of\s+)?/i, ''));
  const first = word?.[0]?.[0];
  return first !== undefined && first === first.toUpperCase();
}

const dateIfMonthWritten = (match: string): string | null => (monthWritten(match) ? '[date]' : null);

/** Full month names standing alone; "May" and "March" are left out as they are ordinary words too. */
const LONE_MONTH = /(?<![\p{L}\p{N}])(?:January|February|April|June|July|August|September|October|November|December)(?![\p{L}\p{N}])/gu;

/** "Dr" and "St" also mean Doctor and Saint, so they need a street name before them. */
const AMBIGUOUS_SUFFIX = 'Dr|St';
const STREET_SUFFIX =
  'Street|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Court|Ct|Boulevard|Blvd|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Crescent|Cres|Close|Row|Walk|Bend|Village|Plaza|Alley|Loop|Pike|Run|Path';
/** A house number: not the minutes of a time or the decimals of a value. */
const HOUSE = '(?<![\\p{L}\\p{N}:.,/])\\d{1,6}[A-Za-z]?\\s+';
const STREET_WORD = "[A-Z0-9][\\p{L}\\p{N}'.-]*\\s+";
const UNIT = '(?:,?\\s*(?:Apt|Apartment|Unit|Suite|Ste|Flat|Cottage|Room|Rm|Bldg|Building|Floor|Fl|#)\\.?\\s*#?[A-Za-z0-9-]{1,6})?';

const IDENTIFIER_LABEL =
  "MRN|MR\\s?#|MR\\s?No\\.?|Medical\\s+record(?:\\s+(?:number|no\\.?|#))?|Patient\\s+(?:ID|number)|Acct\\.?|Account(?:\\s+(?:number|no\\.?|#))?|Member\\s+(?:ID|number)|Subscriber\\s+(?:ID|number)|Policy(?:\\s+(?:number|no\\.?|#))?|Insurance\\s+(?:ID|number)|Medicaid(?:\\s+(?:ID|number))?|Medicare(?:\\s+(?:ID|number))?|NHS(?:\\s+number)?|Health\\s+card|Driver[’']?s\\s+licen[cs]e(?:\\s+(?:number|no\\.?|#))?|Passport(?:\\s+(?:number|no\\.?))?|Encounter\\s+(?:ID|number)|Visit\\s+(?:ID|number)|FIN|CSN|Accession(?:\\s+(?:number|no\\.?))?|Specimen\\s+(?:ID|number)|Device\\s+(?:ID|serial)|Serial(?:\\s+(?:number|no\\.?))?|VIN|ID";

/** A sentence's closing punctuation after a URL is not part of it. */
function urlKeepingPunctuation(match: string): string {
  return `[url]${/[.,;:!?)\]]+$/u.exec(match)?.[0] ?? ''}`;
}

/** After a label, a value with at least three digits that is not a measurement ("112.5"). */
function looksLikeIdentifier(value: string): boolean {
  return value.length >= 4 && (value.match(/\d/g)?.length ?? 0) >= 3 && !/^\d+\.\d+$/.test(value);
}

const PATTERN_RULES: readonly PatternRule[] = [
  // URLs and emails first: they contain names, digits and dots that later rules would half-match.
  { kind: 'url', pattern: /\b(?:https?|ftp|file):\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/giu, replace: urlKeepingPunctuation },
  { kind: 'email', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu, replace: placeholder('[email]') },
  {
    kind: 'url',
    pattern: /(?<![\p{L}\p{N}@.-])(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|mil|io|co|us|uk|ie|de|fr|ca|au|info|biz|health|care|app)(?:\/[^\s<>"'`]*)?(?![\p{L}\p{N}])/giu,
    replace: urlKeepingPunctuation,
  },
  { kind: 'identifier', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/giu, replace: placeholder('[id]') },
  { kind: 'ssn', pattern: /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])|\b(?:SSN|social\s+security(?:\s+(?:number|no\.?))?)\s*[:#]?\s*\d{9}\b/giu, replace: placeholder('[ssn]') },
  // Dates, most specific shape first.
  {
    kind: 'date',
    pattern: /(?<!\d)\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)|(?<!\d)\d{4}\/\d{1,2}\/\d{1,2}(?!\d)|(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)/gu,
    replace: placeholder('[date]'),
  },
  { kind: 'date', pattern: /(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/-]|\.\d)/gu, replace: placeholder('[date]') },
  {
    kind: 'date',
    pattern: new RegExp(
      [
        // 3 Dec 2024, 3rd of December 2024, 3-Dec-2024, 3 Dec
        `${B}\\d{1,2}${ORDINAL}[\\s-]*(?:of\\s+)?${MONTH}(?:[\\s,-]+\\d{4}|[\\s,-]+'\\d{2})?${E}`,
        // December 3, 2024, Dec. 3rd 2024, Dec 3
        `${B}${MONTH}\\s+\\d{1,2}${ORDINAL}(?:,?\\s+\\d{4})?${E}`,
        // December 2024, Dec '24
        `${B}${MONTH}[\\s,-]+(?:\\d{4}|'\\d{2})${E}`,
      ].join('|'),
      'giu',
    ),
    replace: dateIfMonthWritten,
  },
  { kind: 'date', pattern: /(?<![\d/.])(?:0?[1-9]|1[0-2])[/-](?:19|20)\d{2}(?![\d/])/gu, replace: placeholder('[date]') },
  { kind: 'date', pattern: LONE_MONTH, replace: placeholder('[date]') },
  {
    kind: 'phone',
    pattern: /(?<![\p{L}\p{N}+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,6})?(?!\d)|(?<![\p{L}\p{N}])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?!\d)/giu,
    replace: (match) => (match.replace(/\D/g, '').length >= 8 ? '[phone]' : null),
  },
  { kind: 'ip-address', pattern: /(?<!\d|\d\.)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)/gu, replace: placeholder('[ip]') },
  // Street addresses: a house number, up to four capitalised words and a street type.
  {
    kind: 'address',
    pattern: new RegExp(
      `${HOUSE}(?:${STREET_WORD}){0,4}(?:${STREET_SUFFIX})\\.?${E}${UNIT}|${HOUSE}(?:${STREET_WORD}){1,4}(?:${AMBIGUOUS_SUFFIX})\\.?${E}${UNIT}|${B}P\\.?\\s?O\\.?\\s+Box\\s+\\d+${E}`,
      'gu',
    ),
    replace: placeholder('[address]'),
  },
  { kind: 'address', pattern: new RegExp(`${B}(?:Apt|Apartment|Suite|Ste)\\.?\\s*#?\\d[A-Za-z0-9-]{0,5}${E}`, 'gu'), replace: placeholder('[address]') },
  // ZIP codes: after a two-letter state, with a ZIP+4 shape, or labelled.
  {
    kind: 'postal-code',
    pattern: /(?<=\b[A-Z]{2},?\s{1,2})\d{5}(?:-\d{4})?(?!\d)|(?<![\d-])\d{5}-\d{4}(?![\d-])|(?<=\b(?:ZIP|zip|Zip|postal\s+code|postcode)(?:\s+code)?\s*:?\s*)\d{5}(?!\d)/gu,
    replace: placeholder('[zip]'),
  },
  {
    kind: 'identifier',
    // The label is followed by punctuation or a space, never directly by the value ("ida-03" is no "ID").
    pattern: new RegExp(`${B}(${IDENTIFIER_LABEL})(\\s*[:#=]\\s*|\\s+(?:is\\s+|number\\s+)?)([A-Z0-9][A-Z0-9./-]+[A-Z0-9])${E}`, 'giu'),
    replace: (_match, label, gap, value) => (looksLikeIdentifier(value ?? '') ? `${label}${gap}[id]` : null),
  },
  // Unlabelled identifiers: six or more digits in a row, or letters and at least five digits.
  { kind: 'identifier', pattern: /(?<![\p{L}\p{N}])\d{6,}(?![\p{L}\p{N}])/gu, replace: placeholder('[id]') },
  {
    kind: 'identifier',
    pattern: /(?<![\p{L}\p{N}])(?=[A-Za-z0-9-]*\p{L})(?=(?:[A-Za-z-]*\d){5})[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?![\p{L}\p{N}])/gu,
    replace: placeholder('[id]'),
  },
];

/** Titles that introduce a person's name. */
const TITLED_NAME = /(?<![\p{L}\p{N}])((?:Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sr|Sra|Srta|Rev|Fr|Herr|Frau|Mme|Mlle|M)\.?\s+)((?:[\p{Lu}][\p{L}'’-]*\.?)(?:\s+[\p{Lu}][\p{L}'’-]*){0,2})/gu;
/** A relation followed by a capitalised word is a name ("daughter Sarah", "wife, Ann"). */
const RELATIONS = ['daughter', 'son', 'wife', 'husband', 'mother', 'father', 'mum', 'mom', 'dad', 'brother', 'sister', 'partner', 'spouse', 'friend', 'carer', 'caregiver', 'neighbour', 'neighbor', 'aunt', 'uncle', 'niece', 'nephew', 'grandson', 'granddaughter', 'guardian', 'fiancé', 'fiancée', 'fiance', 'fiancee'];
const RELATIVE_NAME = new RegExp(
  `(?<![\\p{L}\\p{N}])((?:${RELATIONS.map((r) => `[${r[0]}${r[0]!.toUpperCase()}]${r.slice(1)}`).join('|')})(?:[\\s,:]+(?:named|called))?[\\s,:]+)(\\p{Lu}[\\p{L}'’-]+)`,
  'gu',
);
/** Capitalised words after a relation that are not names. */
const NOT_A_NAME = new Set(['The', 'A', 'An', 'He', 'She', 'They', 'It', 'We', 'I', 'Who', 'Was', 'Is', 'Has', 'Had', 'Reports', 'Says', 'States', 'Called', 'And', 'But', 'Present', 'At', 'In', 'On', 'By', 'With']);

const AGE_PHRASE = /(?<![\p{L}\p{N}])(\d{2,3})(\s*-?\s*)(years?[\s-]+old|year-old|yr-old|yrs?|y\/o|y\.o\.|yo|years?|y)(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])(aged?|age:)(\s*)(\d{2,3})(?![\p{L}\p{N}])/giu;
/** A four-digit year, not a quantity ("1800 kcal"). */
const YEAR = /(?<![\p{L}\p{N}/.-])(1[89]\d{2}|20\d{2})(?![\p{L}\p{N}]|[/.-]\d|\s*(?:mg|mcg|µg|ug|g|kg|ml|mL|L|kcal|cal|units?|IU|iu|U|%|mmol|mEq|cc|steps|m|km|ft|lb|lbs)(?![\p{L}]))/gu;

// ─── Names ──────────────────────────────────────────────────────────────────────────────────

const SPECIAL_FOLDS: Readonly<Record<string, string>> = { ß: 'ss', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ŀ: 'l', ħ: 'h' };

/** Lower case without diacritics, so "Zoë", "zoe" and "ZOË" compare equal. */
export function foldText(text: string): string {
  return foldWithMap(text).folded;
}

/** The folded text and, for each folded character, where it starts and ends in the original. */
function foldWithMap(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const char of text) {
    const lower = char.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    const mapped = [...lower].map((c) => SPECIAL_FOLDS[c] ?? c).join('');
    for (let i = 0; i < mapped.length; i++) {
      starts.push(index);
      ends.push(index + char.length);
    }
    folded += mapped;
    index += char.length;
  }
  return { folded, starts, ends };
}

/** German spellings without umlauts ("Juergen" for "Jürgen") are the same name. */
function umlautSpelling(name: string): string {
  return name.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue');
}

const LATIN_OR_DIGIT = /^[\p{Script=Latin}\p{N}'’.-]+$/u;
const MIN_PART_LETTERS = 3;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parts of one name: words, the pieces of hyphenated words, and words without trailing digits (Synthea's "Abe604"). */
function nameParts(name: string): string[] {
  const words = name
    .split(/[\s,()"]+/u)
    .map((w) => w.replace(/^[.'’-]+|[.'’-]+$/gu, ''))
    .filter((w) => w !== '');
  const parts = new Set<string>();
  for (const word of words) {
    parts.add(word);
    for (const piece of word.split(/[-'’]/u)) if (piece !== '') parts.add(piece);
    const letters = word.replace(/\d+$/u, '');
    if (letters !== word && letters !== '') parts.add(letters);
  }
  return [...parts];
}

function letterCount(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}

/**
 * One pattern over folded text: each whole name in given-family and family-given order (so short
 * parts like "Li" go with it), then each part of three or more letters alone. Latin-script names
 * match at word edges; names in scripts written without spaces match anywhere.
 */
function namePattern(names: readonly string[]): RegExp | undefined {
  const wholes = new Set<string>();
  const parts = new Set<string>();
  for (const raw of names) {
    for (const name of new Set([raw, umlautSpelling(raw)])) {
      const words = name.split(/[\s,]+/u).filter((w) => w !== '');
      if (words.length > 1) {
        wholes.add(words.map(foldText).join(' '));
        wholes.add([words.at(-1)!, ...words.slice(0, -1)].map(foldText).join(' '));
      }
      for (const part of nameParts(name)) {
        if (letterCount(part) >= MIN_PART_LETTERS || !LATIN_OR_DIGIT.test(part)) parts.add(foldText(part));
      }
    }
  }
  const alternatives = [...[...wholes].sort((a, b) => b.length - a.length), ...[...parts].sort((a, b) => b.length - a.length)]
    .filter((a) => a.trim() !== '')
    .map((a) => {
      const body = a.split(' ').map(escapeRegExp).join('[\\s,]+');
      return LATIN_OR_DIGIT.test(a.replace(/ /g, '')) ? `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])` : body;
    });
  return alternatives.length === 0 ? undefined : new RegExp(alternatives.join('|'), 'gu');
}

/** A short name part (like "Li") left beside a removed name belongs to it; matched on folded text. */
function shortPartsPattern(names: readonly string[]): RegExp | undefined {
  const short = new Set<string>();
  for (const name of names) {
    for (const part of nameParts(name)) {
      const letters = letterCount(part);
      if (letters > 0 && letters < MIN_PART_LETTERS && LATIN_OR_DIGIT.test(part)) short.add(escapeRegExp(foldText(part)));
    }
  }
  if (short.size === 0) return undefined;
  const alt = [...short].join('|');
  return new RegExp(`\\[name\\](?:[\\s,]+(?:${alt})(?![\\p{L}\\p{N}]))+|(?<![\\p{L}\\p{N}])(?:(?:${alt})[\\s,]+)+\\[name\\]`, 'gu');
}

// ─── The scrubber ───────────────────────────────────────────────────────────────────────────

function tally(counts: RedactionCounts, kind: RedactionKind, n = 1): void {
  if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
}

function applyRule(text: string, rule: PatternRule, counts: RedactionCounts): string {
  return text.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
    const groups = rest.filter((g): g is string => typeof g === 'string' || g === undefined).map((g) => g ?? '');
    const replacement = rule.replace(match, ...groups);
    if (replacement === null) return match;
    tally(counts, rule.kind);
    return replacement;
  });
}

const TOKEN = /[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?/g;

export function createScrubber(context: ScrubContext): Scrubber {
  const names = context.names.filter((n) => n.trim() !== '');
  const wholeAndParts = namePattern(names);
  const shortParts = shortPartsPattern(names);
  // Longest first, so a line is removed whole before a shorter value inside it.
  const known = [...context.values].filter((v) => v.value.trim().length >= 3).sort((a, b) => b.value.length - a.value.length || (a.value < b.value ? -1 : 1));
  const knownPatterns = known.map((v) => ({
    kind: v.kind,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(foldText(v.value.trim())).replace(/\s+/g, '[\\s,]+')}(?![\\p{L}\\p{N}])`, 'gu'),
  }));
  const oldestPlainYear = context.referenceYear - 89;

  return {
    scrub(input: string, counts: RedactionCounts): string {
      let text = input.normalize('NFC');
      const hidden = text.match(HIDDEN)?.length ?? 0;
      if (hidden > 0) {
        text = text.replace(HIDDEN, '');
        tally(counts, 'hidden-character', hidden);
      }
      for (const { kind, pattern } of knownPatterns) text = replaceFolded(text, pattern, kind, counts);
      for (const rule of PATTERN_RULES) text = applyRule(text, rule, counts);
      if (context.fhirIds.size > 0) {
        text = text.replace(TOKEN, (token) => {
          if (!context.fhirIds.has(token)) return token;
          tally(counts, 'identifier');
          return PLACEHOLDER.identifier;
        });
      }
      if (wholeAndParts) text = replaceFolded(text, wholeAndParts, 'name', counts);
      // The short parts join a removed name, so they are not counted as a name of their own.
      if (shortParts) text = replaceFolded(text, shortParts, 'name', {});
      text = text.replace(TITLED_NAME, (_match, title: string) => {
        tally(counts, 'name');
        return `${title}[name]`;
      });
      text = text.replace(RELATIVE_NAME, (match, lead: string, name: string) => {
        if (NOT_A_NAME.has(name)) return match;
        tally(counts, 'name');
        return `${lead}[name]`;
      });
      text = text.replace(AGE_PHRASE, (match, n1?: string, gap1?: string, unit?: string, label?: string, gap2?: string, n2?: string) => {
        if (!(Number(n1 ?? n2) >= 90)) return match;
        tally(counts, 'age-over-89');
        return n1 !== undefined ? `90+${gap1 === '-' ? ' ' : (gap1 ?? '')}${unit ?? ''}` : `${label ?? ''}${gap2 ?? ''}90+`;
      });
      text = text.replace(YEAR, (year) => {
        if (Number(year) >= oldestPlainYear) return year;
        tally(counts, 'year-over-89');
        return PLACEHOLDER['year-over-89'];
      });
      return text;
    },
  };
}

/** Replaces matches found in the folded text (case and accents ignored) in the original text. */
function replaceFolded(text: string, pattern: RegExp, kind: RedactionKind, counts: RedactionCounts): string {
  const { folded, starts, ends } = foldWithMap(text);
  const spans: Array<[number, number]> = [];
  for (const match of folded.matchAll(pattern)) {
    if (match[0] === '') continue;
    spans.push([starts[match.index]!, ends[match.index + match[0].length - 1]!]);
  }
  let out = text;
  for (const [start, end] of spans.reverse()) out = out.slice(0, start) + PLACEHOLDER[kind] + out.slice(end);
  tally(counts, kind, spans.length);
  return out;
}

/** Every FHIR id in a list of `Type/id` references, for `ScrubContext.fhirIds`. */
export function idsOfReferences(references: Iterable<string>): Set<string> {
  const ids = new Set<string>();
  for (const reference of references) {
    const id = reference.slice(reference.indexOf('/') + 1);
    // Short ids ("1", "42") are also ordinary numbers; long ones are caught by the digit rules anyway.
    if (id.length >= 5 && /\d/.test(id)) ids.add(id);
  }
  return ids;
}
