/**
 * Builds one patient's chart as US Core shaped R4 resources with fixed, prefixed ids and relative
 * references. Scenario files describe the clinical story; this file owns the FHIR shape.
 *
 * Codings, categories and reference ranges repeat on thousands of Observations in the long-history
 * patient, so each is built once per chart, frozen, and shared between resources.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Extension,
  MedicationRequest,
  Observation,
  ObservationReferenceRange,
  Patient,
  Reference,
  Resource,
} from 'fhir/r4';
import { type Clock, instant, MINUTE, plainDate } from './clock.ts';
import { ORGANIZATION_ID, type PractitionerId } from './care-team.ts';
import type { Random } from './random.ts';
import {
  type Allergen,
  BLOOD_PRESSURE,
  type Code,
  type ConditionCode,
  concept,
  conditionConcept,
  coding,
  type LabTest,
  SYSTEM,
  type VitalSign,
} from './terminology.ts';

export type Sex = 'male' | 'female';
export type EncounterClass = 'AMB' | 'EMER' | 'IMP';

const CLASS_DISPLAY: Record<EncounterClass, string> = { AMB: 'ambulatory', EMER: 'emergency', IMP: 'inpatient encounter' };

const INTERPRETATION_DISPLAY = { H: 'High', L: 'Low', N: 'Normal' } as const;
export type Flag = keyof typeof INTERPRETATION_DISPLAY;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

export interface PatientSpec {
  readonly mrn: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly gender: Patient['gender'];
  readonly birthDate: string;
  /** `null` leaves telecom out entirely (a deliberate gap in the data). */
  readonly phone: string | null;
  readonly email?: string;
  readonly address: { readonly line: readonly string[]; readonly city: string; readonly state: string; readonly postalCode: string };
  readonly language: Code;
  readonly race?: Code;
  readonly ethnicity?: Code;
  readonly birthSex?: 'F' | 'M';
  /** The same name in its original script, alongside the Latin transliteration. */
  readonly nativeName?: { readonly text: string; readonly family: string; readonly given: readonly string[]; readonly language: string };
  readonly generalPractitioner: PractitionerId;
}

export interface EncounterSpec {
  readonly cls: EncounterClass;
  readonly type: Code;
  readonly start: number;
  /** Omitted for the encounter still in progress. */
  readonly end?: number;
  readonly practitioner: PractitionerId;
  readonly reason?: ConditionCode;
  readonly slug?: string;
}

export interface ConditionSpec {
  readonly code: ConditionCode;
  readonly category: 'problem-list-item' | 'encounter-diagnosis';
  readonly clinical?: 'active' | 'inactive' | 'resolved' | 'remission';
  readonly verification?: 'confirmed' | 'provisional' | 'unconfirmed' | 'differential' | 'entered-in-error';
  readonly onset?: number;
  readonly abatement?: number;
  readonly recorded: number;
  readonly recorder: PractitionerId;
  readonly encounter?: string;
  readonly note?: string;
  readonly slug?: string;
}

export interface ObservationOptions {
  readonly encounter?: string;
  readonly status?: Observation['status'];
  /** Leave out the reference range (and so the computed flag). */
  readonly noRange?: boolean;
  /** Leave out the interpretation even though a range is present. */
  readonly noInterpretation?: boolean;
  readonly note?: string;
  /** Minutes from collection to the result being issued; default 95 (routine outpatient). */
  readonly turnaround?: number;
  readonly slug?: string;
}

export interface MedicationSpec {
  readonly drug: Code;
  readonly status: MedicationRequest['status'];
  readonly authored: number;
  readonly requester: PractitionerId;
  readonly dosage: string;
  readonly category?: 'outpatient' | 'inpatient' | 'community';
  readonly asNeeded?: boolean;
  readonly reason?: ConditionCode;
  readonly encounter?: string;
  /** End of the course, for stopped or completed orders. */
  readonly end?: number;
  readonly statusReason?: string;
  readonly slug?: string;
}

export interface AllergySpec {
  readonly allergen: Allergen;
  readonly category: 'food' | 'medication' | 'environment' | 'biologic';
  readonly clinical?: 'active' | 'inactive' | 'resolved';
  readonly verification: 'confirmed' | 'unconfirmed';
  readonly criticality?: AllergyIntolerance['criticality'];
  readonly recorded: number;
  readonly reactions: readonly Code[];
  readonly severity?: 'mild' | 'moderate' | 'severe';
  readonly slug?: string;
}

export interface NoteSpec {
  readonly type: Code;
  readonly title: string;
  readonly at: number;
  readonly author: PractitionerId;
  readonly encounter?: string;
  readonly text: string;
  readonly status?: DocumentReference['status'];
  readonly slug?: string;
}

export class Chart {
  readonly resources: Resource[] = [];
  readonly subject: Reference;
  readonly #counters = new Map<string, number>();
  readonly #slugs = new Set<string>();
  readonly #pad: number;
  readonly #shared = new Map<string | object, unknown>();

  constructor(
    readonly prefix: string,
    readonly clock: Clock,
    readonly random: Random,
    readonly sex: Sex,
    /** Width of the running number in ids; the long-history patient needs more digits. */
    pad = 3,
  ) {
    this.subject = deepFreeze({ reference: `Patient/${prefix}` });
    this.#pad = pad;
  }

  get patientId(): string {
    return this.prefix;
  }

  /**
   * `<prefix>-<kind>-<running number>`, or `<prefix>-<kind>-<slug>` for records tests look up by
   * name. Slugs must contain a letter, so they can never collide with a running number.
   */
  id(kind: string, slug?: string): string {
    if (slug) {
      if (!/^[a-z0-9-]*[a-z][a-z0-9-]*$/.test(slug)) throw new Error(`bad id slug "${slug}"`);
      const id = `${this.prefix}-${kind}-${slug}`;
      if (this.#slugs.has(id)) throw new Error(`duplicate id ${id}`);
      this.#slugs.add(id);
      return id;
    }
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return `${this.prefix}-${kind}-${String(n).padStart(this.#pad, '0')}`;
  }

  #once<T>(key: string | object, make: () => T): T {
    let value = this.#shared.get(key) as T | undefined;
    if (value === undefined) {
      value = deepFreeze(make());
      this.#shared.set(key, value);
    }
    return value;
  }

  #ref(type: string, id: string): Reference {
    return this.#once(`ref:${type}/${id}`, () => ({ reference: `${type}/${id}` }));
  }

  encounterRef(id: string): Reference {
    return this.#ref('Encounter', id);
  }

  practitionerRef(id: PractitionerId): Reference {
    return this.#ref('Practitioner', id);
  }

  get organizationRef(): Reference {
    return this.#ref('Organization', ORGANIZATION_ID);
  }

  patient(spec: PatientSpec): Patient {
    if (this.resources.length > 0) throw new Error('the Patient must be the first resource');
    const extension: Extension[] = [];
    if (spec.race) {
      extension.push({
        url: SYSTEM.usCoreRace,
        extension: [
          { url: 'ombCategory', valueCoding: coding(SYSTEM.ombRace, spec.race) },
          { url: 'text', valueString: spec.race.display },
        ],
      });
    }
    if (spec.ethnicity) {
      extension.push({
        url: SYSTEM.usCoreEthnicity,
        extension: [
          { url: 'ombCategory', valueCoding: coding(SYSTEM.ombRace, spec.ethnicity) },
          { url: 'text', valueString: spec.ethnicity.display },
        ],
      });
    }
    if (spec.birthSex) extension.push({ url: SYSTEM.usCoreBirthSex, valueCode: spec.birthSex });

    const name: NonNullable<Patient['name']> = [
      { use: 'official', text: `${spec.given.join(' ')} ${spec.family}`, family: spec.family, given: [...spec.given] },
    ];
    if (spec.nativeName) {
      name.push({
        extension: [{ url: SYSTEM.language, valueCode: spec.nativeName.language }],
        use: 'official',
        text: spec.nativeName.text,
        family: spec.nativeName.family,
        given: [...spec.nativeName.given],
      });
    }
    const telecom: NonNullable<Patient['telecom']> = [];
    if (spec.phone) telecom.push({ system: 'phone', value: spec.phone, use: 'home' });
    if (spec.email) telecom.push({ system: 'email', value: spec.email });

    const patient: Patient = {
      resourceType: 'Patient',
      id: this.prefix,
      ...(extension.length ? { extension } : {}),
      identifier: [
        {
          use: 'usual',
          type: { coding: [{ system: SYSTEM.identifierType, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
          system: SYSTEM.mrn,
          value: spec.mrn,
          assigner: this.organizationRef,
        },
      ],
      active: true,
      name,
      ...(telecom.length ? { telecom } : {}),
      gender: spec.gender,
      birthDate: spec.birthDate,
      address: [{ use: 'home', type: 'physical', line: [...spec.address.line], city: spec.address.city, state: spec.address.state, postalCode: spec.address.postalCode, country: 'US' }],
      communication: [{ language: { coding: [coding(SYSTEM.bcp47, spec.language)], text: spec.language.display }, preferred: true }],
      generalPractitioner: [this.practitionerRef(spec.generalPractitioner)],
      managingOrganization: this.organizationRef,
    };
    this.resources.push(patient);
    return patient;
  }

  encounter(spec: EncounterSpec): string {
    const id = this.id('enc', spec.slug);
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id,
      status: spec.end === undefined ? 'in-progress' : 'finished',
      class: { system: SYSTEM.actCode, code: spec.cls, display: CLASS_DISPLAY[spec.cls] },
      type: [concept(SYSTEM.snomed, spec.type)],
      subject: this.subject,
      participant: [
        {
          type: [{ coding: [{ system: SYSTEM.participationType, code: 'ATND', display: 'attender' }] }],
          individual: this.practitionerRef(spec.practitioner),
        },
      ],
      period: { start: instant(spec.start), ...(spec.end !== undefined ? { end: instant(spec.end) } : {}) },
      ...(spec.reason ? { reasonCode: [conditionConcept(spec.reason)] } : {}),
      serviceProvider: this.organizationRef,
    };
    this.resources.push(encounter);
    return id;
  }

  condition(spec: ConditionSpec): string {
    const id = this.id('cond', spec.slug);
    const verification = spec.verification ?? 'confirmed';
    // FHIR con-5: an entered-in-error condition carries no clinical status.
    const clinical = verification === 'entered-in-error' ? undefined : (spec.clinical ?? (spec.abatement !== undefined ? 'resolved' : 'active'));
    const condition: Condition = {
      resourceType: 'Condition',
      id,
      ...(clinical ? { clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: clinical }] } } : {}),
      verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: verification }] },
      category: [
        {
          coding: [
            {
              system: SYSTEM.conditionCategory,
              code: spec.category,
              display: spec.category === 'problem-list-item' ? 'Problem List Item' : 'Encounter Diagnosis',
            },
          ],
        },
      ],
      code: conditionConcept(spec.code),
      subject: this.subject,
      ...(spec.encounter ? { encounter: this.encounterRef(spec.encounter) } : {}),
      ...(spec.onset !== undefined ? { onsetDateTime: instant(spec.onset) } : {}),
      ...(spec.abatement !== undefined ? { abatementDateTime: instant(spec.abatement) } : {}),
      recordedDate: instant(spec.recorded),
      recorder: this.practitionerRef(spec.recorder),
      ...(spec.note ? { note: [{ text: spec.note }] } : {}),
    };
    this.resources.push(condition);
    return id;
  }

  #category(code: 'laboratory' | 'vital-signs' | 'social-history'): CodeableConcept[] {
    const display = { laboratory: 'Laboratory', 'vital-signs': 'Vital Signs', 'social-history': 'Social History' }[code];
    return this.#once(`cat:${code}`, () => [{ coding: [{ system: SYSTEM.observationCategory, code, display }] }]);
  }

  #interpretation(flag: Flag): CodeableConcept[] {
    return this.#once(`flag:${flag}`, () => [
      { coding: [{ system: SYSTEM.interpretation, code: flag, display: INTERPRETATION_DISPLAY[flag] }] },
    ]);
  }

  #range(test: LabTest): { low?: number; high?: number } {
    const female = this.sex === 'female' ? test.female : undefined;
    const low = female && 'low' in female ? female.low : test.low;
    const high = female && 'high' in female ? female.high : test.high;
    return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
  }

  #referenceRange(test: LabTest): ObservationReferenceRange[] | undefined {
    const { low, high } = this.#range(test);
    if (low === undefined && high === undefined) return undefined;
    return this.#once(`range:${test.loinc}:${test.ucum}`, () => [
      {
        ...(low !== undefined ? { low: { value: low, unit: test.unit, system: SYSTEM.ucum, code: test.ucum } } : {}),
        ...(high !== undefined ? { high: { value: high, unit: test.unit, system: SYSTEM.ucum, code: test.ucum } } : {}),
      },
    ]);
  }

  flagFor(test: LabTest, value: number): Flag | undefined {
    const { low, high } = this.#range(test);
    if (low === undefined && high === undefined) return undefined;
    if (low !== undefined && value < low) return 'L';
    if (high !== undefined && value > high) return 'H';
    return 'N';
  }

  /** The LOINC CodeableConcept for a test definition, built once per chart. */
  #code(key: LabTest | VitalSign | Code, text?: string): CodeableConcept {
    return this.#once(key, () => {
      if ('codes' in key) return { coding: key.codes.map((c) => coding(SYSTEM.loinc, c)), text: text ?? key.codes[0]?.display ?? key.loinc };
      if ('loinc' in key) return { coding: [coding(SYSTEM.loinc, { code: key.loinc, display: key.display })], text: text ?? key.display };
      return { coding: [coding(SYSTEM.loinc, key)], text: text ?? key.display };
    });
  }

  #base(id: string, category: 'laboratory' | 'vital-signs' | 'social-history', code: CodeableConcept, at: number, opts: ObservationOptions): Observation {
    return {
      resourceType: 'Observation',
      id,
      status: opts.status ?? 'final',
      category: this.#category(category),
      code,
      subject: this.subject,
      ...(opts.encounter ? { encounter: this.encounterRef(opts.encounter) } : {}),
      effectiveDateTime: instant(at),
    };
  }

  /** A numeric laboratory result; the H/L/N flag follows from the (sex-specific) range. */
  lab(test: LabTest, value: number, at: number, opts: ObservationOptions = {}): string {
    const id = this.id('obs', opts.slug);
    const rounded = round(value, test.decimals);
    const obs = this.#base(id, 'laboratory', this.#code(test), at, opts);
    obs.issued = instant(at + (opts.turnaround ?? 95) * MINUTE);
    obs.valueQuantity = { value: rounded, unit: test.unit, system: SYSTEM.ucum, code: test.ucum };
    const range = opts.noRange ? undefined : this.#referenceRange(test);
    const flag = range ? this.flagFor(test, rounded) : undefined;
    if (flag && !opts.noInterpretation) obs.interpretation = this.#interpretation(flag);
    if (range) obs.referenceRange = range;
    if (opts.note) obs.note = [{ text: opts.note }];
    this.resources.push(obs);
    return id;
  }

  /** An ordered test with no result yet (status registered, no value). */
  pendingLab(test: LabTest, at: number, opts: ObservationOptions = {}): string {
    const id = this.id('obs', opts.slug);
    const obs = this.#base(id, 'laboratory', this.#code(test), at, { ...opts, status: 'registered' });
    this.resources.push(obs);
    return id;
  }

  /** A laboratory result answered with a code (positive / negative). */
  codedLab(test: Code, result: Code, at: number, opts: ObservationOptions & { abnormal?: boolean } = {}): string {
    const id = this.id('obs', opts.slug);
    const obs = this.#base(id, 'laboratory', this.#code(test), at, opts);
    obs.issued = instant(at + (opts.turnaround ?? 60) * MINUTE);
    obs.valueCodeableConcept = concept(SYSTEM.snomed, result);
    if (opts.abnormal !== undefined) {
      obs.interpretation = [
        {
          coding: [{ system: SYSTEM.interpretation, code: opts.abnormal ? 'A' : 'N', display: opts.abnormal ? 'Abnormal' : 'Normal' }],
        },
      ];
    }
    this.resources.push(obs);
    return id;
  }

  vital(sign: VitalSign, value: number, at: number, opts: ObservationOptions = {}): string {
    const id = this.id('obs', opts.slug);
    const obs = this.#base(id, 'vital-signs', this.#code(sign), at, opts);
    obs.valueQuantity = { value: round(value, sign.decimals), unit: sign.unit, system: SYSTEM.ucum, code: sign.ucum };
    if (opts.note) obs.note = [{ text: opts.note }];
    this.resources.push(obs);
    return id;
  }

  bloodPressure(systolic: number, diastolic: number, at: number, opts: ObservationOptions = {}): string {
    const id = this.id('obs', opts.slug);
    const obs = this.#base(id, 'vital-signs', this.#code(BLOOD_PRESSURE.panel, 'Blood pressure'), at, opts);
    const sysCode = this.#code(BLOOD_PRESSURE.systolic);
    const diaCode = this.#code(BLOOD_PRESSURE.diastolic);
    obs.component = [
      { code: sysCode, valueQuantity: { value: Math.round(systolic), unit: 'mmHg', system: SYSTEM.ucum, code: 'mm[Hg]' } },
      { code: diaCode, valueQuantity: { value: Math.round(diastolic), unit: 'mmHg', system: SYSTEM.ucum, code: 'mm[Hg]' } },
    ];
    if (opts.note) obs.note = [{ text: opts.note }];
    this.resources.push(obs);
    return id;
  }

  /** Social-history style observation answered with a SNOMED CT code, a date or a quantity. */
  social(code: Code, value: { code: Code } | { date: number } | { quantity: number; unit: string; ucum: string }, at: number, opts: ObservationOptions = {}): string {
    const id = this.id('obs', opts.slug);
    const obs = this.#base(id, 'social-history', this.#code(code), at, opts);
    if ('code' in value) obs.valueCodeableConcept = concept(SYSTEM.snomed, value.code);
    else if ('date' in value) obs.valueDateTime = plainDate(value.date);
    else obs.valueQuantity = { value: value.quantity, unit: value.unit, system: SYSTEM.ucum, code: value.ucum };
    this.resources.push(obs);
    return id;
  }

  /** A DiagnosticReport over results already in the chart. */
  report(panel: Code, at: number, results: readonly string[], opts: { encounter?: string; slug?: string; conclusion?: string; turnaround?: number } = {}): string {
    const id = this.id('rpt', opts.slug);
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport',
      id,
      status: 'final',
      category: [this.#once('cat:LAB', () => ({ coding: [{ system: SYSTEM.diagnosticServiceSection, code: 'LAB', display: 'Laboratory' }] }))],
      code: concept(SYSTEM.loinc, panel),
      subject: this.subject,
      ...(opts.encounter ? { encounter: this.encounterRef(opts.encounter) } : {}),
      effectiveDateTime: instant(at),
      issued: instant(at + (opts.turnaround ?? 95) * MINUTE),
      performer: [this.organizationRef],
      result: results.map((r) => this.#ref('Observation', r)),
      ...(opts.conclusion ? { conclusion: opts.conclusion } : {}),
    };
    this.resources.push(report);
    return id;
  }

  /** Results drawn together, plus the DiagnosticReport that groups them. */
  panel(
    panel: Code,
    at: number,
    items: ReadonlyArray<readonly [LabTest, number] | readonly [LabTest, number, ObservationOptions]>,
    opts: { encounter?: string; turnaround?: number } = {},
  ): string[] {
    const ids = items.map(([test, value, o]) => this.lab(test, value, at, { ...opts, ...o }));
    this.report(panel, at, ids, opts);
    return ids;
  }

  medication(spec: MedicationSpec): string {
    const id = this.id('med', spec.slug);
    const request: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id,
      status: spec.status,
      ...(spec.statusReason ? { statusReason: { text: spec.statusReason } } : {}),
      intent: 'order',
      category: [
        {
          coding: [
            {
              system: SYSTEM.medicationRequestCategory,
              code: spec.category ?? 'outpatient',
              display: { outpatient: 'Outpatient', inpatient: 'Inpatient', community: 'Community' }[spec.category ?? 'outpatient'],
            },
          ],
        },
      ],
      medicationCodeableConcept: concept(SYSTEM.rxnorm, spec.drug),
      subject: this.subject,
      ...(spec.encounter ? { encounter: this.encounterRef(spec.encounter) } : {}),
      authoredOn: instant(spec.authored),
      requester: this.practitionerRef(spec.requester),
      ...(spec.reason ? { reasonCode: [conditionConcept(spec.reason)] } : {}),
      dosageInstruction: [
        {
          text: spec.dosage,
          ...(spec.asNeeded ? { asNeededBoolean: true } : {}),
          ...(spec.end !== undefined ? { timing: { repeat: { boundsPeriod: { start: instant(spec.authored), end: instant(spec.end) } } } } : {}),
        },
      ],
    };
    this.resources.push(request);
    return id;
  }

  allergy(spec: AllergySpec): string {
    const id = this.id('alg', spec.slug);
    const allergy: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id,
      clinicalStatus: { coding: [{ system: SYSTEM.allergyClinical, code: spec.clinical ?? 'active' }] },
      verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: spec.verification }] },
      type: 'allergy',
      category: [spec.category],
      ...(spec.criticality ? { criticality: spec.criticality } : {}),
      code: concept(spec.allergen.system, spec.allergen),
      patient: this.subject,
      recordedDate: instant(spec.recorded),
      ...(spec.reactions.length
        ? {
            reaction: [
              {
                manifestation: spec.reactions.map((r) => concept(SYSTEM.snomed, r)),
                ...(spec.severity ? { severity: spec.severity } : {}),
              },
            ],
          }
        : {}),
    };
    this.resources.push(allergy);
    return id;
  }

  note(spec: NoteSpec): string {
    const id = this.id('doc', spec.slug);
    const doc: DocumentReference = {
      resourceType: 'DocumentReference',
      id,
      status: spec.status ?? 'current',
      docStatus: 'final',
      type: concept(SYSTEM.loinc, spec.type),
      category: [{ coding: [{ system: SYSTEM.documentCategory, code: 'clinical-note', display: 'Clinical Note' }] }],
      subject: this.subject,
      date: instant(spec.at),
      author: [this.practitionerRef(spec.author)],
      custodian: this.organizationRef,
      description: spec.title,
      content: [
        {
          attachment: {
            contentType: 'text/plain;charset=utf-8',
            language: 'en-US',
            data: Buffer.from(spec.text, 'utf8').toString('base64'),
            title: spec.title,
            creation: instant(spec.at),
          },
        },
      ],
      ...(spec.encounter ? { context: { encounter: [this.encounterRef(spec.encounter)] } } : {}),
    };
    this.resources.push(doc);
    return id;
  }
}
