/**
 * Grounding: checks a validated model answer against the case it was given, and marks what it
 * cannot back up. Fact ids map back to the chart's FHIR references through the case's local index;
 * an id the case never had means the model invented or garbled it, so the finding is unverified.
 * Citations count as verified only with an identifier someone can resolve — this is a format
 * check made without the network, not proof that the paper says what the model claims.
 */
import type { Code, FactReference } from '../chart/types.ts';
import type {
  DifferentialItem,
  GroundedCitation,
  GroundedFinding,
  Insight,
  InsightTask,
  ModelCitation,
  ModelDifferentialItem,
  ModelFinding,
  PreparedCase,
  ProviderResult,
} from './types.ts';

export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** A short, stable, non-cryptographic hash (two FNV-1a passes), as 12 hex digits. */
export function stableHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).slice(0, 12);
}

// Verhoeff tables: SNOMED CT identifiers end in a Verhoeff check digit.
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

function verhoeffValid(digits: string): boolean {
  let check = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    check = VERHOEFF_D[check]![VERHOEFF_P[i % 8]![digit]!]!;
  }
  return check === 0;
}

/**
 * A SNOMED CT concept id, or undefined: 6–18 digits, a concept partition (`00` or `10` before
 * the check digit) and a valid check digit — which catches most made-up ids.
 */
export function snomedConceptId(value: string | null): string | undefined {
  const id = value?.trim() ?? '';
  if (!/^[1-9]\d{5,17}$/.test(id)) return undefined;
  const partition = id.slice(-3, -1);
  return (partition === '00' || partition === '10') && verhoeffValid(id) ? id : undefined;
}

/** An ICD-10-CM code in its dotted form (`E11.9`), or undefined when it cannot be one. */
export function icd10cmCode(value: string | null): string | undefined {
  const compact = value?.trim().toUpperCase().replace(/\s+/g, '') ?? '';
  const match = /^([A-Z]\d[0-9A-Z])\.?([0-9A-Z]{1,4})?$/.exec(compact);
  if (!match) return undefined;
  return match[2] ? `${match[1]}.${match[2]}` : match[1];
}

/** A DOI without resolver prefixes, if it has the DOI shape (`10.<registrant>/<suffix>`). */
export function normaliseDoi(value: string | null): string | undefined {
  const doi = value?.trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '') ?? '';
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : undefined;
}

/** A numeric PubMed id, with any `PMID:` prefix removed. */
export function normalisePmid(value: string | null): string | undefined {
  const pmid = value?.trim().replace(/^pmid:?\s*/i, '') ?? '';
  return /^[1-9]\d{0,8}$/.test(pmid) ? pmid : undefined;
}

/** An http(s) URL, or undefined: `javascript:`, `data:` and every other scheme are dropped. */
export function safeUrl(value: string | null): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  return url.href;
}

function groundCitation(citation: ModelCitation): GroundedCitation {
  const url = safeUrl(citation.url) ?? null;
  const doi = normaliseDoi(citation.doi) ?? null;
  const pmid = normalisePmid(citation.pmid) ?? null;
  const year = citation.year !== null && Number.isInteger(citation.year) && citation.year > 1800 && citation.year < 2200 ? citation.year : null;
  return { ...citation, year, url, doi, pmid, verified: Boolean(url ?? doi ?? pmid) };
}

function groundFinding(finding: ModelFinding, factIndex: PreparedCase['factIndex']): GroundedFinding {
  const ids = [...new Set(finding.factIds.map((id) => id.trim()).filter(Boolean))];
  const references: FactReference[] = [];
  let unknown = false;
  for (const id of ids) {
    const reference = factIndex.get(id);
    if (reference === undefined) unknown = true;
    else if (!references.includes(reference)) references.push(reference);
  }
  return { text: finding.text, references, verified: ids.length > 0 && !unknown };
}

function codesOf(item: ModelDifferentialItem): Code[] {
  const codes: Code[] = [];
  const snomed = snomedConceptId(item.snomed);
  if (snomed) codes.push({ system: SNOMED_SYSTEM, code: snomed, display: item.condition });
  const icd10 = icd10cmCode(item.icd10);
  if (icd10) codes.push({ system: ICD10CM_SYSTEM, code: icd10, display: item.condition });
  return codes;
}

function groundItem(item: ModelDifferentialItem, index: number, factIndex: PreparedCase['factIndex']): DifferentialItem {
  const probability = item.probability !== null && Number.isFinite(item.probability) && item.probability >= 0 && item.probability <= 1 ? item.probability : undefined;
  const rarity = item.rarity?.trim();
  return {
    id: `dx-${stableHash(`${item.condition.trim().toLowerCase()}#${index}`)}`,
    condition: item.condition,
    codes: codesOf(item),
    likelihood: item.likelihood,
    ...(probability === undefined ? {} : { probability }),
    cantMiss: item.cantMiss,
    ...(rarity ? { rarity } : {}),
    supporting: item.supporting.map((f) => groundFinding(f, factIndex)),
    opposing: item.opposing.map((f) => groundFinding(f, factIndex)),
    missing: item.missing.filter((m) => m.trim() !== ''),
    nextSteps: item.nextSteps,
    citations: item.citations.map(groundCitation),
  };
}

export function groundInsight(result: ProviderResult, prepared: PreparedCase, task: InsightTask, now: Date = new Date()): Insight {
  const createdAt = now.toISOString();
  const { output } = result;
  return {
    id: `insight-${stableHash(`${createdAt}\n${JSON.stringify(task)}\n${result.raw}`)}`,
    task,
    createdAt,
    model: result.model,
    differential: output.differential.map((item, index) => groundItem(item, index, prepared.factIndex)),
    summary: output.summary,
    citations: output.citations.map(groundCitation),
    confidence: output.confidence,
  };
}
