/**
 * How many tokens the same facts would cost as raw FHIR, for the "what is sent" comparison.
 *
 * A `PatientChart` keeps no raw resources, so each fact is rebuilt as the R4 JSON an EHR search
 * returns for it — a searchset entry (`fullUrl`, `resource`, `search.mode`) holding a resource with
 * `meta`, status, category, the fact's codings, subject, dates, and its value:
 *   - each series point is an Observation with `valueQuantity` (value, unit, UCUM system and code),
 *     interpretation and a low/high `referenceRange`; points of several series that share one
 *     reference (blood-pressure systolic and diastolic) are one Observation with components;
 *   - text results are Observations with `valueString`; problems are Conditions, medications
 *     MedicationRequests with a requester and dosage text, allergies AllergyIntolerances with
 *     reactions, reports DiagnosticReports with their result references and conclusion, notes
 *     DocumentReferences whose text is a base64 attachment (as EHRs send it inline), the
 *     encounter an Encounter, and the patient a Patient with name, birth date, one identifier,
 *     address and phone of typical length.
 * Everything is serialised compactly (no indentation) and costed with the same `estimateTokens`
 * as the payload. Real resources usually carry more (extensions, narrative `text`, performers,
 * identifiers), so this is a floor for the raw size, and the ratio it gives an understatement.
 */
import type { Code, ObservationSeries, PatientChart, SeriesPoint } from '../chart/types.ts';
import { estimateTokens } from './tokens.ts';

const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

type Json = Record<string, unknown>;

interface Entry {
  readonly reference: string;
  readonly resource: Json;
}

export function estimateRawFhirTokens(chart: PatientChart): number {
  const base = chart.fhirBase.replace(/\/+$/, '');
  const subject = { reference: chart.patient?.reference ?? 'Patient/unknown' };
  let tokens = 0;
  const add = ({ reference, resource }: Entry): void => {
    const [resourceType, id] = splitReference(reference);
    const full = { fullUrl: `${base}/${reference}`, resource: { resourceType, id, meta: { versionId: '1', lastUpdated: chart.asOf }, ...resource }, search: { mode: 'match' } };
    tokens += estimateTokens(JSON.stringify(full));
  };

  if (chart.patient) add({ reference: chart.patient.reference, resource: patientResource(chart.patient) });
  if (chart.encounter) {
    const e = chart.encounter;
    add({
      reference: e.reference,
      resource: {
        status: e.status ?? 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: e.class ?? 'AMB' },
        type: [{ text: e.type ?? '' }],
        subject,
        period: { start: e.start ?? chart.asOf, ...(e.end ? { end: e.end } : {}) },
        ...(e.reason ? { reasonCode: [{ text: e.reason }] } : {}),
      },
    });
  }
  for (const p of chart.problems) {
    add({
      reference: p.reference,
      resource: {
        clinicalStatus: status('http://terminology.hl7.org/CodeSystem/condition-clinical', p.clinicalStatus ?? 'active'),
        verificationStatus: status('http://terminology.hl7.org/CodeSystem/condition-ver-status', p.verificationStatus ?? 'confirmed'),
        category: [status('http://terminology.hl7.org/CodeSystem/condition-category', p.category ?? 'problem-list-item')],
        code: concept(p.codes, p.display),
        subject,
        ...(p.onset ? { onsetDateTime: p.onset } : {}),
        ...(p.abatement ? { abatementDateTime: p.abatement } : {}),
        ...(p.recorded ? { recordedDate: p.recorded } : {}),
      },
    });
  }
  for (const m of chart.medications) {
    add({
      reference: m.reference,
      resource: {
        status: m.status ?? 'active',
        intent: 'order',
        medicationCodeableConcept: concept(m.codes, m.display),
        subject,
        ...(m.authoredOn ? { authoredOn: m.authoredOn } : {}),
        requester: { reference: 'Practitioner/requester' },
        ...(m.dosage ? { dosageInstruction: [{ text: m.dosage }] } : {}),
      },
    });
  }
  for (const a of chart.allergies) {
    add({
      reference: a.reference,
      resource: {
        clinicalStatus: status('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', a.clinicalStatus ?? 'active'),
        verificationStatus: status('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', a.verificationStatus ?? 'confirmed'),
        ...(a.category ? { category: a.category } : {}),
        ...(a.criticality ? { criticality: a.criticality } : {}),
        code: concept(a.codes, a.display),
        patient: subject,
        ...(a.reactions.length ? { reaction: [{ manifestation: a.reactions.map((r) => ({ text: r })) }] } : {}),
      },
    });
  }
  tokens += observationTokens(chart, base, subject);
  for (const t of chart.textResults) {
    add({
      reference: t.reference,
      resource: { status: 'final', category: [status(CATEGORY, 'laboratory')], code: concept([{ system: LOINC, code: t.code }], t.display), subject, effectiveDateTime: t.time, valueString: t.text },
    });
  }
  for (const r of chart.reports) {
    add({
      reference: r.reference,
      resource: {
        status: r.status ?? 'final',
        category: [status('http://terminology.hl7.org/CodeSystem/v2-0074', 'LAB')],
        code: { text: r.display },
        subject,
        ...(r.effective ? { effectiveDateTime: r.effective } : {}),
        ...(r.issued ? { issued: r.issued } : {}),
        result: r.results.map((reference) => ({ reference })),
        ...(r.conclusion ? { conclusion: r.conclusion } : {}),
      },
    });
  }
  for (const n of chart.notes) {
    add({
      reference: n.reference,
      resource: {
        status: 'current',
        type: concept(n.typeCode ? [{ system: LOINC, code: n.typeCode }] : [], n.title),
        category: [status('http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', 'clinical-note')],
        subject,
        ...(n.date ? { date: n.date } : {}),
        ...(n.author ? { author: [{ display: n.author }] } : {}),
        description: n.title,
        content: [{ attachment: { contentType: 'text/plain', data: base64(n.text ?? '') } }],
      },
    });
  }
  return tokens;
}

function splitReference(reference: string): [string, string] {
  const slash = reference.indexOf('/');
  return slash < 0 ? ['Resource', reference] : [reference.slice(0, slash), reference.slice(slash + 1)];
}

function status(system: string, code: string): Json {
  return { coding: [{ system, code }] };
}

function concept(codes: readonly Code[], display: string): Json {
  return { coding: codes.map((c) => ({ ...(c.system ? { system: c.system } : {}), ...(c.code ? { code: c.code } : {}), ...(c.display ? { display: c.display } : {}) })), text: display };
}

function patientResource(patient: NonNullable<PatientChart['patient']>): Json {
  const words = patient.name.split(/\s+/);
  return {
    identifier: [{ use: 'usual', type: { text: 'MRN' }, system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14', value: 'E0000000' }],
    active: true,
    name: [{ use: 'official', text: patient.name, family: words.at(-1) ?? '', given: words.slice(0, -1) }],
    telecom: [{ system: 'phone', value: '+1-555-555-0100', use: 'home' }],
    gender: patient.gender ?? 'unknown',
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(patient.deceasedDate ? { deceasedDateTime: patient.deceasedDate } : patient.deceased ? { deceasedBoolean: true } : {}),
    address: [{ use: 'home', line: ['100 Main Street'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }],
  };
}

function quantity(value: number, unit: string | undefined): Json {
  return { value, ...(unit ? { unit, system: UCUM, code: unit } : {}) };
}

function observationValue(series: ObservationSeries, point: SeriesPoint): Json {
  const range = point.referenceRange ?? series.referenceRange;
  return {
    valueQuantity: point.original ? quantity(point.original.value, point.original.unit) : quantity(point.value, series.unit),
    ...(point.interpretation ? { interpretation: [{ coding: [{ system: INTERPRETATION, code: point.interpretation }] }] } : {}),
    ...(range && (range.low !== undefined || range.high !== undefined)
      ? {
          referenceRange: [
            {
              ...(range.low !== undefined ? { low: quantity(range.low, range.unit ?? series.unit) } : {}),
              ...(range.high !== undefined ? { high: quantity(range.high, range.unit ?? series.unit) } : {}),
            },
          ],
        }
      : {}),
  };
}

interface ObservationPart {
  readonly series: ObservationSeries;
  readonly point: SeriesPoint;
}

/** Stand-ins for the fields that vary between Observations of one shape; each costs one token. */
const ID_STANDIN = 'x';
const TIME_STANDIN = 'x';
const VALUE_STANDIN = 0;

/**
 * Every Observation behind the series, one per reference (a reference found in several series,
 * such as blood pressure, has components). Tens of thousands of Observations share a handful of
 * shapes, so each shape is serialised and costed once with stand-ins for its id, time and values,
 * and each Observation adds the tokens of its own id, time and values: the estimate is a sum over
 * JSON pieces, so this gives the same total as costing every Observation in full.
 */
function observationTokens(chart: PatientChart, base: string, subject: Json): number {
  const byReference = new Map<string, ObservationPart[]>();
  for (const key of Object.keys(chart.series)) {
    const series = chart.series[key]!;
    for (const point of series.points) {
      const list = byReference.get(point.reference);
      if (list) list.push({ series, point });
      else byReference.set(point.reference, [{ series, point }]);
    }
  }
  const shapes = new Map<string, number>();
  let tokens = 0;
  for (const [reference, parts] of byReference) {
    const [resourceType, id] = splitReference(reference);
    const shape = parts.map(({ series, point }) => `${series.code}|${point.interpretation ?? ''}|${point.original?.unit ?? '='}|${JSON.stringify(point.referenceRange ?? series.referenceRange ?? null)}`).join('\n');
    let template = shapes.get(shape);
    if (template === undefined) {
      const standIns = parts.map(({ series, point }) => ({ series, point: { ...point, value: VALUE_STANDIN, ...(point.original ? { original: { ...point.original, value: VALUE_STANDIN } } : {}) } }));
      const entry = observationEntry(base, resourceType, ID_STANDIN, TIME_STANDIN, chart.asOf, standIns, subject);
      // Less the stand-ins: the id twice (fullUrl and id), the time twice (effective and issued), one value per part.
      template = estimateTokens(JSON.stringify(entry)) - 4 - parts.length;
      shapes.set(shape, template);
    }
    const time = parts[0]!.point.time;
    tokens += template + 2 * estimateTokens(id) + 2 * estimateTokens(time);
    for (const { point } of parts) tokens += estimateTokens(String(point.original?.value ?? point.value));
  }
  return tokens;
}

function observationEntry(base: string, resourceType: string, id: string, time: string, lastUpdated: string, parts: readonly ObservationPart[], subject: Json): Json {
  const { series } = parts[0]!;
  const code = (s: ObservationSeries): Json => concept([{ system: LOINC, code: s.code, display: s.display }], s.display);
  const value = parts.length > 1 ? { component: parts.map((p) => ({ code: code(p.series), ...observationValue(p.series, p.point) })) } : observationValue(series, parts[0]!.point);
  return {
    fullUrl: `${base}/${resourceType}/${id}`,
    resource: {
      resourceType,
      id,
      meta: { versionId: '1', lastUpdated },
      status: 'final',
      category: [{ coding: [{ system: CATEGORY, code: series.category === 'other' ? 'laboratory' : series.category }] }],
      code: parts.length > 1 ? { text: parts.map((p) => p.series.display).join(' / ') } : code(series),
      subject,
      effectiveDateTime: time,
      issued: time,
      ...value,
    },
    search: { mode: 'match' },
  };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of UTF-8 text, without relying on Buffer (Node) or btoa (browsers). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += BASE64[a >> 2]! + BASE64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : BASE64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : BASE64[c & 63]!;
  }
  return out;
}
