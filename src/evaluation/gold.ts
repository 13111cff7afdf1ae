/**
 * A gold file for a folder of FHIR R4 patient bundles: per bundle, the diagnosis codes a good
 * differential names, which Conditions to take out of the chart first (so the diagnosis has to be
 * found from labs, medicines and notes rather than read off the problem list), and any can't-miss codes.
 *
 *   { "description": "…",
 *     "cases": [ { "file": "Jane_Doe_….json", "label": "hypertension (withheld)",
 *                  "expected": ["38341003", "I10"], "withhold": ["38341003"], "cantMiss": [] } ] }
 */

export interface GoldCase {
  readonly file: string;
  readonly label: string;
  readonly expected: readonly string[];
  /** Condition codes removed from the bundle before it is loaded. */
  readonly withhold: readonly string[];
  readonly cantMiss: readonly string[];
}

export interface GoldFile {
  readonly description: string;
  readonly cases: readonly GoldCase[];
}

export class GoldFileError extends Error {
  override readonly name = 'GoldFileError';
}

function codes(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) throw new GoldFileError(`${where} must be an array of codes.`);
  return value as string[];
}

export function parseGold(json: unknown): GoldFile {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { cases?: unknown }).cases)) {
    throw new GoldFileError('A gold file is an object with a "cases" array.');
  }
  const seen = new Set<string>();
  const cases = (json as { cases: unknown[] }).cases.map((raw, i): GoldCase => {
    const where = `cases[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new GoldFileError(`${where} must be an object.`);
    const entry = raw as Record<string, unknown>;
    if (typeof entry.file !== 'string' || !entry.file.endsWith('.json')) throw new GoldFileError(`${where}.file must name a .json bundle.`);
    if (seen.has(entry.file)) throw new GoldFileError(`${where}: "${entry.file}" is listed twice.`);
    seen.add(entry.file);
    return {
      file: entry.file,
      label: typeof entry.label === 'string' && entry.label ? entry.label : entry.file,
      expected: codes(entry.expected, `${where}.expected`),
      withhold: codes(entry.withhold, `${where}.withhold`),
      cantMiss: codes(entry.cantMiss, `${where}.cantMiss`),
    };
  });
  const description = (json as { description?: unknown }).description;
  return { description: typeof description === 'string' ? description : '', cases };
}
