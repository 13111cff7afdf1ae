import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyLabs, keyVitals } from './key-labs.ts';
import type { AbnormalFlag, ObservationSeries, PatientChart } from './types.ts';

const AS_OF = '2025-06-01T12:00:00.000Z';

function series(code: string, category: ObservationSeries['category'], time: string, abnormal?: AbnormalFlag, codes?: string[]): ObservationSeries {
  const point = { reference: `Observation/${code}-${time}`, time, value: 1 };
  return { code, display: code, category, points: [point], latest: point, unconvertible: 0, ...(abnormal ? { abnormal } : {}), ...(codes ? { codes } : {}) };
}

function chart(list: ObservationSeries[]): PatientChart {
  const ready = { status: 'ready', skipped: 0, truncated: false } as const;
  return {
    fhirBase: 'https://ehr.example/fhir',
    asOf: AS_OF,
    problems: [],
    series: Object.fromEntries(list.map((s) => [s.code, s])),
    textResults: [],
    medications: [],
    allergies: [],
    notes: [],
    reports: [],
    sections: { patient: ready, encounter: ready, problems: ready, vitals: ready, labs: ready, medications: ready, allergies: ready, notes: ready, reports: ready },
  };
}

test('recent abnormal labs first (critical before the rest), then important ones, then others, stale last', () => {
  const labs = keyLabs(
    chart([
      series('787-2', 'laboratory', '2025-05-30', 'high'), // MCV: abnormal, not on the important list
      series('2951-2', 'laboratory', '2025-05-30', 'normal'), // sodium
      series('98979-8', 'laboratory', '2025-05-30', 'low'), // eGFR
      series('2823-3', 'laboratory', '2025-05-30', 'critical-high'), // potassium
      series('2160-0', 'laboratory', '2025-05-30', 'normal'), // creatinine
      series('1234-5', 'laboratory', '2025-05-30'), // unknown code, no flag
      series('4548-4', 'laboratory', '2019-01-01', 'high'), // HbA1c, six years old
      series('8867-4', 'vital-signs', '2025-05-30'), // not a lab
    ]),
  );
  assert.deepEqual(
    labs.map((s) => s.code),
    ['2823-3', '98979-8', '787-2', '2160-0', '2951-2', '1234-5', '4548-4'],
  );
});

test('merged series are recognised by any of their codes, and the list is limited', () => {
  const labs = keyLabs(chart([series('62238-1', 'laboratory', '2025-05-01', 'normal', ['62238-1']), series('777-3', 'laboratory', '2025-05-01', 'normal'), series('2345-7', 'laboratory', '2025-05-01', 'normal')]), 2);
  assert.deepEqual(
    labs.map((s) => s.code),
    ['62238-1', '2345-7'],
  );
  assert.deepEqual(keyLabs(chart([]), 5), []);
});

test('vitals in strip order, whatever code of the analyte the EHR used', () => {
  const vitals = keyVitals(
    chart([
      series('39156-5', 'vital-signs', '2025-05-30'),
      series('2708-6', 'vital-signs', '2025-05-30', undefined, ['2708-6', '59408-5']),
      series('8462-4', 'vital-signs', '2025-05-30'),
      series('8480-6', 'vital-signs', '2025-05-30'),
      series('8331-1', 'vital-signs', '2025-05-30'),
      series('8302-2', 'vital-signs', '2025-05-30'),
      series('2345-7', 'laboratory', '2025-05-30'),
    ]),
  );
  assert.deepEqual(
    vitals.map((s) => s.code),
    ['8480-6', '8462-4', '8331-1', '2708-6', '39156-5'],
  );
});
