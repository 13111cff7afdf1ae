import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { ALLERGEN, CONDITION, DRUG, ENCOUNTER_TYPE, LAB, LANGUAGE, NOTE_TYPE, PANEL, REACTION, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

const DRAWS = [730, 365, 180, 60, 2];
const HEMOGLOBIN = [12.8, 12.1, 11.2, 10.1, 9.1];
const MCV = [86, 83, 79, 76, 73];
const MCH = [29.2, 27.6, 25.6, 24.1, 22.8];
const RDW = [13.0, 13.8, 14.9, 15.8, 16.9];
const PLATELETS = [290, 320, 360, 410, 440];
const FERRITIN = [31, 18, 11, 7, 5];

export function ironDeficiencyAnaemia({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('ida-03', clock, random, 'female');
  chart.patient({
    mrn: 'CB1000003',
    family: 'Ñúñez-Łukasiewicz',
    given: ['Zoë'],
    gender: 'female',
    birthDate: clock.birthDate(34, 200),
    phone: '+1-555-201-3391',
    email: 'zoe.nl@example.org',
    address: { line: ['1200 Prairie Ave', 'Unit 5'], city: 'Springfield', state: 'IL', postalCode: '62703' },
    language: LANGUAGE.english,
    birthSex: 'F',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.menorrhagia, category: 'problem-list-item', onset: clock.daysAgo(540, 12), recorded: clock.daysAgo(365, 16), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.anemia, category: 'problem-list-item', onset: clock.daysAgo(180, 12), recorded: clock.daysAgo(180, 16), recorder: DOCTOR.pcp, note: 'Mild normocytic-to-microcytic anaemia; iron studies pending.' });
  chart.allergy({ allergen: ALLERGEN.sulfamethoxazole, category: 'medication', verification: 'confirmed', criticality: 'low', recorded: clock.daysAgo(9 * 365, 10), reactions: [REACTION.rash], severity: 'moderate' });

  chart.medication({ drug: DRUG.ibuprofen400, status: 'active', authored: clock.daysAgo(500, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (400 mg) by mouth every 6 hours as needed for period pain', asNeeded: true, reason: CONDITION.menorrhagia });
  chart.medication({
    drug: DRUG.ferrousSulfate325,
    status: 'stopped',
    authored: clock.daysAgo(58, 16),
    end: clock.daysAgo(41, 9),
    statusReason: 'Stopped by patient after 2 weeks: constipation and nausea',
    requester: DOCTOR.pcp,
    dosage: 'Take 1 tablet (325 mg) by mouth once daily with orange juice',
    reason: CONDITION.anemia,
  });

  let encounterId = '';
  DRAWS.forEach((daysAgo, i) => {
    const last = i === DRAWS.length - 1;
    const drawAt = clock.daysAgo(daysAgo, 15, random.int(0, 45));
    const hb = HEMOGLOBIN[i]! + (last ? random.jitter(0.05) : random.jitter(0.15));
    chart.panel(PANEL.cbc, drawAt, [
      [LAB.hemoglobin, hb],
      [LAB.hematocrit, hb * 3.05],
      [LAB.mcv, MCV[i]! + random.jitter(0.8)],
      [LAB.mch, MCH[i]! + random.jitter(0.3)],
      [LAB.rdw, RDW[i]! + random.jitter(0.2)],
      [LAB.wbc, 6.4 + random.jitter(1)],
      [LAB.platelets, PLATELETS[i]! + random.jitter(12)],
    ]);
    chart.lab(LAB.ferritin, FERRITIN[i]! + random.jitter(0.8), drawAt);
    if (last) {
      chart.lab(LAB.iron, 28 + random.jitter(4), drawAt);
      chart.lab(LAB.transferrinSaturation, 6 + random.jitter(1), drawAt);
    }
    const visitAt = last ? clock.at(16, 10) : drawAt + 2 * 86_400_000;
    encounterId = chart.encounter({
      cls: 'AMB',
      type: last ? ENCOUNTER_TYPE.symptom : ENCOUNTER_TYPE.followUp,
      start: visitAt,
      ...(last ? { slug: 'today' } : { end: visitAt + 20 * 60_000 }),
      practitioner: DOCTOR.pcp,
    });
    chart.bloodPressure(110 - 2 * i + random.jitter(4), 68 + random.jitter(3), visitAt + 5 * 60_000, { encounter: encounterId });
    chart.vital(VITAL.heartRate, 76 + 5 * i + random.jitter(3), visitAt + 5 * 60_000, { encounter: encounterId });
    chart.vital(VITAL.weight, 61 + random.jitter(0.6), visitAt + 5 * 60_000, { encounter: encounterId });
  });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Heavy periods and tiredness',
    at: clock.daysAgo(58, 16, 30),
    author: DOCTOR.pcp,
    text: [
      'S: Periods heavier for about 18 months, 8 days long with flooding and clots, changing pads hourly on day 2-3.',
      'More tired, short of breath on stairs. Vegetarian. No GI bleeding symptoms.',
      'O: Pale conjunctivae. HR 91. Abdomen soft.',
      'Labs: Hb 10.1 g/dL, MCV 76 fL, ferritin 7 ng/mL.',
      'A: Iron deficiency from menstrual blood loss.',
      'P: Start ferrous sulfate 325 mg daily. Pelvic ultrasound. Gynaecology referral. Recheck CBC in 8 weeks.',
    ].join('\n'),
  });

  return {
    key: 'iron-deficiency-anaemia',
    scenario: 'Iron-deficiency anaemia from heavy menstrual bleeding',
    summary:
      'A 34-year-old woman with 18 months of menorrhagia whose haemoglobin has fallen to about 9 g/dL with low MCV and ferritin 5; she stopped oral iron after two weeks because of side effects.',
    patientId: chart.patientId,
    encounterId,
    practitionerId: DOCTOR.pcp,
    labels: labelsFor(CONDITION.ironDeficiencyAnemia),
    resources: chart.resources,
  };
}
