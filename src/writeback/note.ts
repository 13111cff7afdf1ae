/**
 * The note a clinician files: built only from what they accepted, kept as sections so the UI can
 * show which parts are still the model's words, and rendered to the exact text that is hashed,
 * attested and written.
 *
 * Rejected suggestions never appear in the note, not even as "considered and rejected": the
 * clinician's reason for rejecting belongs in the audit trail (as CDS Hooks feedback), and a
 * legal note should hold only what its author affirms.
 */
import type { Code } from '../chart/types.ts';
import type { EarlySign } from '../insight/early-signs/types.ts';
import type { TreatmentOption } from '../insight/patient-fit/types.ts';
import type { DifferentialItem, GroundedCitation, Insight, ModelIdentity } from '../insight/types.ts';
import { attestationStatement } from './attestation.ts';

export const NOTE_TYPES = {
  '11506-3': 'Progress note',
  '11488-4': 'Consult note',
  '34117-2': 'History and physical note',
} as const;

export type NoteTypeCode = keyof typeof NOTE_TYPES;

export interface NoteType {
  readonly system: 'http://loinc.org';
  readonly code: NoteTypeCode;
  readonly display: string;
}

export function noteType(code: NoteTypeCode): NoteType {
  const display = NOTE_TYPES[code];
  if (!display) throw new NoteError(`Unknown note type "${String(code)}".`);
  return { system: 'http://loinc.org', code, display };
}

/** A CDS Hooks feedback `overrideReason`. */
export interface OverrideReason {
  readonly code: string;
  readonly display: string;
  readonly system?: string;
}

export interface AcceptedDecision {
  readonly itemId: string;
}

export interface RejectedDecision {
  readonly itemId: string;
  readonly reason: OverrideReason;
  /** Free text; kept out of the note and of the audit trail because it may name the patient. */
  readonly comment?: string;
}

/**
 * Decisions share one id space: a differential item's own id, `sign:<early sign id>` for an
 * early sign, and `option:<item id>:<index into treatmentOptions>` for a treatment option.
 */
export interface NoteDecisions {
  readonly accepted: readonly AcceptedDecision[];
  readonly rejected: readonly RejectedDecision[];
}

export type NoteSectionId = 'clinician' | 'assessment' | 'early-signs' | 'differential' | 'plan' | 'evidence';

export interface NoteSection {
  readonly id: NoteSectionId;
  readonly title: string;
  readonly lines: readonly string[];
  /** True while the text is the model's (or Curbside's) wording; false once the clinician wrote or edited it. */
  readonly aiDrafted: boolean;
  /**
   * True once the clinician has read this text and kept it: always for their own words, and for
   * AI-drafted text after `confirmSection`. A confirmed section is still filed as AI-drafted.
   */
  readonly reviewed: boolean;
}

export interface NoteDraft {
  readonly noteType: NoteType;
  readonly insightId: string;
  readonly model: ModelIdentity;
  /** The accepted differential items, with their conditions and codes, for Provenance entities. */
  readonly accepted: ReadonlyArray<{ readonly itemId: string; readonly condition: string; readonly codes: readonly Code[] }>;
  readonly sections: readonly NoteSection[];
  /** Sections the clinician emptied; recomposing leaves them out instead of drafting them again. */
  readonly removed?: readonly NoteSectionId[];
}

export interface ComposeNoteInput {
  readonly insight: Insight;
  readonly decisions: NoteDecisions;
  /** The clinician's own words; filed first and never marked as AI-drafted. */
  readonly clinicianText?: string;
  readonly noteType: NoteTypeCode;
}

export class NoteError extends Error {
  override readonly name = 'NoteError';
}

export const NOTE_SECTION_TITLES: Readonly<Record<NoteSectionId, string>> = {
  clinician: 'Clinician note',
  assessment: 'Assessment',
  'early-signs': 'Early signs noted',
  differential: 'Differential considered',
  plan: 'Plan / next steps',
  evidence: 'Evidence references',
};

/** The order sections are filed in. */
export const NOTE_SECTION_ORDER: readonly NoteSectionId[] = ['clinician', 'assessment', 'early-signs', 'differential', 'plan', 'evidence'];

/** The decision id of an early sign. */
export function earlySignDecisionId(signId: string): string {
  return `sign:${signId}`;
}

/** The decision id of a differential item's treatment option, by its index in `treatmentOptions`. */
export function treatmentOptionDecisionId(itemId: string, index: number): string {
  return `option:${itemId}:${index}`;
}

type Decided =
  | { readonly kind: 'item'; readonly item: DifferentialItem }
  | { readonly kind: 'sign'; readonly sign: EarlySign }
  | { readonly kind: 'option'; readonly item: DifferentialItem; readonly option: TreatmentOption };

/** What a decision id names in this insight; a differential item's own id wins over a namespaced reading. */
function resolveDecision(insight: Insight, id: string): Decided | undefined {
  const item = insight.differential.find((d) => d.id === id);
  if (item) return { kind: 'item', item };
  if (id.startsWith('sign:')) {
    const sign = insight.earlySigns?.find((s) => earlySignDecisionId(s.id) === id);
    return sign ? { kind: 'sign', sign } : undefined;
  }
  const option = /^option:(.*):(\d+)$/.exec(id);
  if (option) {
    const owner = insight.differential.find((d) => d.id === option[1]);
    const chosen = owner?.treatmentOptions?.[Number(option[2])];
    return owner && chosen ? { kind: 'option', item: owner, option: chosen } : undefined;
  }
  return undefined;
}

export function composeNoteDraft(input: ComposeNoteInput): NoteDraft {
  const { insight, decisions } = input;
  const rejected = new Set(decisions.rejected.map((d) => d.itemId));
  for (const id of [...decisions.accepted.map((d) => d.itemId), ...rejected]) {
    if (!resolveDecision(insight, id)) throw new NoteError(`Decision for "${id}", which is not in insight ${insight.id}.`);
  }
  const accepted: DifferentialItem[] = [];
  const signs: EarlySign[] = [];
  const options: TreatmentOption[] = [];
  for (const { itemId } of decisions.accepted) {
    if (rejected.has(itemId)) throw new NoteError(`"${itemId}" is both accepted and rejected.`);
    const decided = resolveDecision(insight, itemId);
    if (decided?.kind === 'item' && !accepted.includes(decided.item)) accepted.push(decided.item);
    if (decided?.kind === 'sign' && !signs.includes(decided.sign)) signs.push(decided.sign);
    if (decided?.kind === 'option') {
      // The chart check found this treatment contraindicated here; the UI offers no Accept for it,
      // and a decision that claims otherwise is refused rather than filed into the plan.
      if (decided.option.fit === 'avoid') throw new NoteError(`"${itemId}" is marked avoid for this patient and cannot be accepted.`);
      if (!options.includes(decided.option)) options.push(decided.option);
    }
  }
  // Treatment steps of an accepted diagnosis that the clinician decided on separately, or that
  // the chart check marked avoid, are not carried in as plain steps: accepting a diagnosis is
  // not accepting a contraindicated or rejected treatment.
  const decidedOrAvoided = (item: DifferentialItem, text: string): boolean =>
    (item.treatmentOptions ?? []).some(
      (o, n) => o.text === text && (o.fit === 'avoid' || rejected.has(treatmentOptionDecisionId(item.id, n)) || options.includes(o)),
    );

  const sections: NoteSection[] = [];
  const clinicianText = input.clinicianText?.trim();
  if (clinicianText) sections.push({ id: 'clinician', title: NOTE_SECTION_TITLES.clinician, lines: clinicianText.split(/\r?\n/), aiDrafted: false, reviewed: true });
  const drafted = (id: NoteSectionId, lines: string[]): void => {
    if (lines.length > 0) sections.push({ id, title: NOTE_SECTION_TITLES[id], lines, aiDrafted: true, reviewed: false });
  };
  drafted('assessment', accepted.map((item) => `- ${item.condition}${codeSuffix(item.codes)}`));
  drafted('early-signs', signs.flatMap(earlySignLines));
  drafted('differential', accepted.flatMap(differentialLines));
  drafted(
    'plan',
    unique([
      ...accepted.flatMap((item) =>
        item.nextSteps.filter((step) => step.kind !== 'treatment' || !decidedOrAvoided(item, step.text)).map((step) => `- ${step.text} (${step.kind})`),
      ),
      ...options.map(optionLine),
    ]),
  );
  drafted('evidence', citationLines(accepted.flatMap((item) => item.citations)));

  return {
    noteType: noteType(input.noteType),
    insightId: insight.id,
    model: insight.model,
    accepted: accepted.map((item) => ({ itemId: item.id, condition: item.condition, codes: item.codes })),
    sections,
  };
}

/**
 * The clinician replaced a section's text: it is theirs from now on. An empty edit removes the
 * section, and recomposing will not draft it again until they write in it.
 */
export function editSection(draft: NoteDraft, id: NoteSectionId, text: string): NoteDraft {
  const lines = splitLines(text);
  const others = draft.sections.filter((s) => s.id !== id);
  const sections = lines.length === 0 ? others : [...others, { id, title: NOTE_SECTION_TITLES[id], lines, aiDrafted: false, reviewed: true }];
  sections.sort(bySectionOrder);
  // The clinician's own-words section is never drafted, so there is nothing to keep out.
  const removed = new Set(draft.removed ?? []);
  if (lines.length === 0 && id !== 'clinician') removed.add(id);
  else removed.delete(id);
  const { removed: _removed, ...rest } = draft;
  return { ...rest, sections, ...(removed.size > 0 ? { removed: NOTE_SECTION_ORDER.filter((s) => removed.has(s)) } : {}) };
}

/** The clinician read an AI-drafted section and kept it unchanged: reviewed, and still filed as AI-drafted. */
export function confirmSection(draft: NoteDraft, id: NoteSectionId): NoteDraft {
  const section = draft.sections.find((s) => s.id === id);
  if (!section) throw new NoteError(`The draft has no "${id}" section.`);
  if (section.reviewed) return draft;
  return { ...draft, sections: draft.sections.map((s) => (s.id === id ? { ...s, reviewed: true } : s)) };
}

/** The sections the clinician has not yet confirmed or edited, in filing order. */
export function unreviewedSections(draft: NoteDraft): NoteSection[] {
  return draft.sections.filter((s) => !s.reviewed);
}

/**
 * Drafts the AI sections again from new decisions, keeping everything the clinician did to
 * `previous`: sections they edited keep their words, sections they emptied stay out, and their
 * own words stay unless `input.clinicianText` replaces them. A confirmation carries over only
 * when the recomposed section reads exactly as the one confirmed.
 */
export function recomposeDraft(previous: NoteDraft, input: ComposeNoteInput): NoteDraft {
  const clinicianText = input.clinicianText ?? previous.sections.find((s) => s.id === 'clinician')?.lines.join('\n');
  const fresh = composeNoteDraft({ ...input, ...(clinicianText === undefined ? {} : { clinicianText }) });
  const before = new Map(previous.sections.map((s) => [s.id, s]));
  const now = new Map(fresh.sections.map((s) => [s.id, s]));
  const removed = new Set(previous.removed ?? []);
  const sections: NoteSection[] = [];
  for (const id of NOTE_SECTION_ORDER) {
    const old = before.get(id);
    const drafted = now.get(id);
    if (id === 'clinician') {
      if (drafted) sections.push(drafted);
    } else if (old && !old.aiDrafted) {
      sections.push(old);
    } else if (drafted && !removed.has(id)) {
      const stillReviewed = old?.reviewed === true && sameLines(old.lines, drafted.lines);
      sections.push(stillReviewed ? { ...drafted, reviewed: true } : drafted);
    }
  }
  return { ...fresh, sections, ...(removed.size > 0 ? { removed: NOTE_SECTION_ORDER.filter((s) => removed.has(s)) } : {}) };
}

function splitLines(text: string): string[] {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\r?\n/) : [];
}

function bySectionOrder(a: NoteSection, b: NoteSection): number {
  return NOTE_SECTION_ORDER.indexOf(a.id) - NOTE_SECTION_ORDER.indexOf(b.id);
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** Who signs, when, and the write the text belongs to (the id is in the text so it can be found again where identifiers are dropped). */
export interface NoteSignature {
  readonly clinicianName: string;
  readonly fhirUser: string;
  /** ISO instant. */
  readonly attestedAt: string;
  readonly writeId: string;
}

export const AI_DRAFTED_MARK = '[AI-drafted, reviewed by author]';

/** The exact text that is filed and hashed; it always ends with the AI-use and attestation line. */
export function renderNoteText(draft: NoteDraft, signature: NoteSignature): string {
  if (!signature.clinicianName.trim() || !signature.fhirUser.trim()) throw new NoteError('A note needs the attesting clinician.');
  if (Number.isNaN(Date.parse(signature.attestedAt))) throw new NoteError('The attestation time is not an ISO instant.');
  const blocks = [draft.noteType.display];
  for (const section of draft.sections) {
    blocks.push([`${section.title}${section.aiDrafted ? ` ${AI_DRAFTED_MARK}` : ''}`, ...section.lines].join('\n'));
  }
  blocks.push(`${attestationStatement(signature.clinicianName)}.\n${closingLine(draft.model, signature)}`);
  return blocks.join('\n\n');
}

export function closingLine(model: ModelIdentity, signature: NoteSignature): string {
  const engine = model.builtIn ? ' (Curbside built-in reference engine, not a clinical model)' : '';
  return (
    `AI use: drafted with ${model.name} version ${model.version}${engine}; ` +
    `attested by ${signature.clinicianName} (${signature.fhirUser}) at ${signature.attestedAt}; write id ${signature.writeId}.`
  );
}

function codeSuffix(codes: readonly Code[]): string {
  const shown = codes.filter((c) => c.code).map((c) => `${systemLabel(c.system)} ${c.code}`);
  return shown.length > 0 ? ` [${shown.join('; ')}]` : '';
}

function systemLabel(system: string | undefined): string {
  if (system === 'http://snomed.info/sct') return 'SNOMED CT';
  if (system === 'http://hl7.org/fhir/sid/icd-10-cm') return 'ICD-10-CM';
  return system ?? 'code';
}

function differentialLines(item: DifferentialItem): string[] {
  // Unverified findings cite facts the chart does not have; they stay on screen, not in the record.
  const supporting = item.supporting.filter((f) => f.verified).map((f) => f.text);
  const opposing = item.opposing.filter((f) => f.verified).map((f) => f.text);
  const lines = [`- ${item.condition}: likelihood ${item.likelihood}${item.cantMiss ? ', cannot-miss diagnosis' : ''}.`];
  if (supporting.length) lines.push(`  For: ${supporting.join('; ')}.`);
  if (opposing.length) lines.push(`  Against: ${opposing.join('; ')}.`);
  if (item.missing.length) lines.push(`  Not in the chart: ${item.missing.join('; ')}.`);
  return lines;
}

function earlySignLines(sign: EarlySign): string[] {
  const c = sign.citation;
  const lines = [`- ${sign.title}: ${sign.condition.display}, ${sign.figure.text}${codeSuffix(sign.condition.codes)}.`];
  if (sign.confirm.length) lines.push(`  To confirm: ${sign.confirm.join('; ')}.`);
  lines.push(`  Rule: ${c.title} (${c.source}${c.year ? ` ${c.year}` : ''}).`);
  return lines;
}

const FIT_NOTE_WORDS: Readonly<Record<TreatmentOption['fit'], string>> = {
  fits: 'fits this patient',
  adjust: 'adjust',
  avoid: 'avoid',
  unchecked: 'patient fit not checked',
};

/** "- Metformin 500 mg twice daily — adjust: eGFR 38 (…)": the treatment with the chart check's verdict and reasons. */
function optionLine(option: TreatmentOption): string {
  const reasons = option.reasons.map((r) => r.text);
  const checked = option.fit === 'fits' && option.checked.length ? ` (checked: ${option.checked.join(', ')})` : '';
  return `- ${option.text} — ${FIT_NOTE_WORDS[option.fit]}${reasons.length ? `: ${reasons.join('; ')}` : checked} (treatment)`;
}

function citationLines(citations: readonly GroundedCitation[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const c of citations) {
    // Only citations with a resolvable identifier go into the record.
    if (!c.verified) continue;
    const key = (c.doi ?? c.pmid ?? c.url ?? c.title).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const ids = [c.doi ? `doi:${c.doi}` : '', c.pmid ? `PMID: ${c.pmid}` : '', !c.doi && !c.pmid && c.url ? c.url : ''].filter(Boolean);
    lines.push(`- ${c.title}. ${c.source}${c.year ? ` ${c.year}` : ''}.${ids.length ? ` ${ids.join('. ')}.` : ''}`);
  }
  return lines;
}

function unique(lines: string[]): string[] {
  return [...new Set(lines)];
}
