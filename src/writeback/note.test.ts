import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AI_DRAFTED_MARK, NoteError, composeNoteDraft, confirmSection, editSection, recomposeDraft, renderNoteText, unreviewedSections } from './note.ts';
import type { ComposeNoteInput } from './note.ts';
import { attest, attestationStatement, matchesAttestation, newWriteId } from './attestation.ts';
import { sampleInsight } from './test-support.ts';

const signature = { clinicianName: 'Dr Ana Ruiz', fhirUser: 'Practitioner/pr1', attestedAt: '2026-05-01T10:30:00.000Z', writeId: '0b8f5a52-6a3c-4d41-9d1e-5c0b7a1f2e33' };

function draft() {
  return composeNoteDraft({
    insight: sampleInsight(),
    decisions: { accepted: [{ itemId: 'd1' }], rejected: [{ itemId: 'd2', reason: { code: 'not-relevant', display: 'Not relevant to this patient' }, comment: 'seen by cardiology' }] },
    clinicianText: 'Breathless on exertion for 3 weeks.',
    noteType: '11506-3',
  });
}

test('the draft has the clinician text first and every generated section marked AI-drafted', () => {
  const d = draft();
  assert.deepEqual(
    d.sections.map((s) => [s.id, s.aiDrafted]),
    [
      ['clinician', false],
      ['assessment', true],
      ['differential', true],
      ['plan', true],
      ['evidence', true],
    ],
  );
  assert.deepEqual(d.noteType, { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' });
  assert.deepEqual(d.accepted.map((a) => a.itemId), ['d1']);
});

test('rejected items, their steps and citations never appear in the note; unverified findings and citations neither', () => {
  const text = renderNoteText(draft(), signature);
  for (const absent of ['Constrictive pericarditis', 'Cardiac MRI', 'Pericardial disease review', 'Not relevant', 'seen by cardiology', 'Invented finding', 'Unverifiable blog post']) {
    assert.ok(!text.includes(absent), `"${absent}" must not be in the note`);
  }
  assert.match(text, /Heart failure with reduced ejection fraction \[SNOMED CT 703272007\]/);
  assert.match(text, /For: NT-proBNP 2,400 pg\/mL\./);
  assert.match(text, /- Transthoracic echocardiogram \(test\)/);
  assert.match(text, /doi:10\.1161\/CIR\.0000000000001063\. PMID: 35363499\./);
  assert.match(text, new RegExp(`^Assessment ${AI_DRAFTED_MARK.replace(/[[\]]/g, '\\$&')}$`, 'm'));
  assert.match(text, /^Clinician note$/m);
});

test('the text ends with the AI-use and attestation line: who, when, which model and version, the write id', () => {
  const text = renderNoteText(draft(), signature);
  const lines = text.split('\n');
  assert.equal(
    lines.at(-1),
    'AI use: drafted with Example Clinical Model version 2026-04; attested by Dr Ana Ruiz (Practitioner/pr1) at 2026-05-01T10:30:00.000Z; write id 0b8f5a52-6a3c-4d41-9d1e-5c0b7a1f2e33.',
  );
  assert.equal(lines.at(-2), 'I, Dr Ana Ruiz, have reviewed this note and the AI-assisted content and attest to its accuracy.');
});

test('an edited section is no longer AI-drafted and keeps its place', () => {
  const edited = editSection(draft(), 'plan', 'Echo this week.\nReview in clinic.');
  const plan = edited.sections.find((s) => s.id === 'plan');
  assert.deepEqual(plan, { id: 'plan', title: 'Plan / next steps', lines: ['Echo this week.', 'Review in clinic.'], aiDrafted: false, reviewed: true });
  assert.deepEqual(edited.sections.map((s) => s.id), ['clinician', 'assessment', 'differential', 'plan', 'evidence']);
  assert.match(renderNoteText(edited, signature), /^Plan \/ next steps\nEcho this week\./m);
  assert.equal(editSection(edited, 'evidence', '  ').sections.some((s) => s.id === 'evidence'), false);
});

test('decisions on unknown items or on both sides are refused', () => {
  const insight = sampleInsight();
  assert.throws(() => composeNoteDraft({ insight, decisions: { accepted: [{ itemId: 'zz' }], rejected: [] }, noteType: '11488-4' }), NoteError);
  assert.throws(
    () => composeNoteDraft({ insight, decisions: { accepted: [{ itemId: 'd1' }], rejected: [{ itemId: 'd1', reason: { code: 'x', display: 'x' } }] }, noteType: '11488-4' }),
    /both accepted and rejected/,
  );
});

test('nothing accepted: only the clinician text and the closing lines', () => {
  const d = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [], rejected: [] }, clinicianText: 'Well.', noteType: '34117-2' });
  assert.equal(
    renderNoteText(d, signature),
    `History and physical note\n\nClinician note\nWell.\n\n${attestationStatement('Ana Ruiz')}.\nAI use: drafted with Example Clinical Model version 2026-04; attested by Dr Ana Ruiz (Practitioner/pr1) at 2026-05-01T10:30:00.000Z; write id ${signature.writeId}.`,
  );
});

test('attestation statement and record: the hash is the SHA-256 of the exact UTF-8 text', async () => {
  assert.equal(attestationStatement('Ana Ruiz'), 'I, Dr Ana Ruiz, have reviewed this note and the AI-assisted content and attest to its accuracy');
  assert.equal(attestationStatement('Dr. Ana Ruiz'), 'I, Dr. Ana Ruiz, have reviewed this note and the AI-assisted content and attest to its accuracy');
  const text = renderNoteText(draft(), { ...signature, clinicianName: 'Dr José Núñez' });
  const record = await attest(text, { ...signature, clinicianName: 'Dr José Núñez' });
  assert.equal(record.contentHash, createHash('sha256').update(text, 'utf8').digest('hex'));
  assert.equal(record.fhirUser, 'Practitioner/pr1');
  assert.equal(record.attestedAt, signature.attestedAt);
  assert.ok(await matchesAttestation(text, record));
  assert.equal(await matchesAttestation(`${text} `, record), false);
  assert.match(newWriteId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('the clinician section is reviewed from the start; AI sections are not until confirmed or edited', () => {
  const d = draft();
  assert.deepEqual(d.sections.map((s) => [s.id, s.reviewed]), [
    ['clinician', true],
    ['assessment', false],
    ['differential', false],
    ['plan', false],
    ['evidence', false],
  ]);
  assert.deepEqual(unreviewedSections(d).map((s) => s.id), ['assessment', 'differential', 'plan', 'evidence']);
  assert.deepEqual(unreviewedSections(editSection(d, 'plan', 'Echo.')).map((s) => s.id), ['assessment', 'differential', 'evidence']);
});

test('a confirmed section is reviewed but still filed as AI-drafted, with the same words', () => {
  const d = draft();
  const confirmed = confirmSection(d, 'assessment');
  const assessment = confirmed.sections.find((s) => s.id === 'assessment');
  assert.deepEqual(assessment, { ...d.sections.find((s) => s.id === 'assessment'), reviewed: true });
  assert.equal(assessment?.aiDrafted, true);
  assert.deepEqual(unreviewedSections(confirmed).map((s) => s.id), ['differential', 'plan', 'evidence']);
  assert.equal(renderNoteText(confirmed, signature), renderNoteText(d, signature));
  assert.equal(confirmSection(confirmed, 'assessment'), confirmed, 'confirming twice changes nothing');
  assert.equal(d.sections.find((s) => s.id === 'assessment')?.reviewed, false, 'the original draft is left alone');
  const all = (['assessment', 'differential', 'plan', 'evidence'] as const).reduce(confirmSection, d);
  assert.deepEqual(unreviewedSections(all), []);
  assert.throws(() => confirmSection(editSection(d, 'evidence', ''), 'evidence'), NoteError);
});

const reasonNotRelevant = { code: 'not-relevant', display: 'Not relevant to this patient' };

function input(accepted: string[], rest: Partial<ComposeNoteInput> = {}): ComposeNoteInput {
  return { insight: sampleInsight(), decisions: { accepted: accepted.map((itemId) => ({ itemId })), rejected: [] }, noteType: '11506-3', ...rest };
}

test('recomposing after one more acceptance keeps every section the clinician edited, in their words', () => {
  const first = composeNoteDraft(input(['d1'], { clinicianText: 'Breathless for 3 weeks.' }));
  const edited = editSection(editSection(first, 'plan', 'Echo this week.'), 'assessment', 'HFrEF likely.');
  const next = recomposeDraft(edited, input(['d1', 'd2']));
  const byId = new Map(next.sections.map((s) => [s.id, s]));
  assert.deepEqual(byId.get('plan'), edited.sections.find((s) => s.id === 'plan'));
  assert.deepEqual(byId.get('assessment')?.lines, ['HFrEF likely.']);
  assert.deepEqual(byId.get('clinician')?.lines, ['Breathless for 3 weeks.'], 'own words kept when the input gives none');
  // The sections the clinician left to the model now cover both accepted items.
  assert.equal(byId.get('differential')?.aiDrafted, true);
  assert.ok(byId.get('differential')?.lines.some((l) => l.startsWith('- Constrictive pericarditis')));
  assert.ok(byId.get('evidence')?.lines.some((l) => l.startsWith('- Pericardial disease review')));
  assert.deepEqual(next.accepted.map((a) => a.itemId), ['d1', 'd2']);
  assert.deepEqual(next.sections.map((s) => s.id), ['clinician', 'assessment', 'differential', 'plan', 'evidence']);
});

test('recomposing keeps a confirmation only for words that did not change, and keeps emptied sections out', () => {
  const first = confirmSection(confirmSection(composeNoteDraft(input(['d1'])), 'assessment'), 'differential');
  const emptied = editSection(first, 'evidence', '');
  assert.deepEqual(emptied.removed, ['evidence']);
  const same = recomposeDraft(emptied, input(['d1']));
  assert.deepEqual(same.sections.map((s) => [s.id, s.reviewed]), [
    ['assessment', true],
    ['differential', true],
    ['plan', false],
  ]);
  const more = recomposeDraft(emptied, input(['d1', 'd2']));
  assert.deepEqual(more.sections.map((s) => [s.id, s.reviewed]), [
    ['assessment', false],
    ['differential', false],
    ['plan', false],
  ]);
  assert.deepEqual(more.removed, ['evidence']);
  // Writing in an emptied section makes it part of the note again.
  const rewritten = editSection(more, 'evidence', 'See cardiology letter.');
  assert.equal(rewritten.removed, undefined);
  assert.deepEqual(recomposeDraft(rewritten, input(['d1', 'd2'])).sections.find((s) => s.id === 'evidence')?.lines, ['See cardiology letter.']);
});

test('recomposing follows the new decisions for AI sections, the new note type and explicit own words', () => {
  const first = composeNoteDraft(input(['d1', 'd2'], { clinicianText: 'Old words.' }));
  const next = recomposeDraft(first, {
    ...input(['d1'], { clinicianText: '  ', noteType: '11488-4' }),
    decisions: { accepted: [{ itemId: 'd1' }], rejected: [{ itemId: 'd2', reason: reasonNotRelevant }] },
  });
  assert.equal(next.noteType.code, '11488-4');
  assert.equal(next.sections.some((s) => s.id === 'clinician'), false);
  const text = renderNoteText(next, signature);
  assert.ok(!text.includes('Constrictive pericarditis'));
  assert.ok(!text.includes('Old words.'));
  assert.throws(() => recomposeDraft(first, input(['zz'])), NoteError);
});

// ─── Early signs and treatment options ──────────────────────────────────────────────────────

function withSignsAndOptions(): ComposeNoteInput['insight'] {
  const base = sampleInsight();
  const citation = { title: 'KDIGO 2024 CKD guideline', source: 'Kidney Int', year: 2024, url: null, doi: '10.1016/j.kint.2023.10.018', pmid: null, quote: null };
  const sign = (id: string, title: string, figure: string, confirm: string) => ({
    id,
    rule: id,
    kind: 'rate-of-change' as const,
    title,
    condition: { display: 'Chronic kidney disease', codes: [{ system: 'http://snomed.info/sct', code: '709044004' }] },
    figure: { value: -8.2, unit: 'mL/min/1.73 m²/yr', text: figure },
    why: 'why',
    criterion: 'criterion',
    citation,
    references: ['Observation/e1'],
    series: [],
    confirm: [confirm],
    refute: ['refute'],
    unrecorded: true,
    cantMiss: false,
    confidence: 'high' as const,
  });
  const [d1, d2] = base.differential;
  return {
    ...base,
    earlySigns: [
      sign('egfr-decline', 'Kidney function falling fast', 'falling 8.2 mL/min/1.73 m² a year over 4.8 years', 'Repeat eGFR and urine ACR within 3 months'),
      sign('hyponatraemia', 'Sodium low on two days', 'sodium 128 mmol/L on 2 days in 30 days', 'Serum osmolality'),
    ],
    differential: [
      {
        ...d1!,
        nextSteps: [...d1!.nextSteps, { text: 'Start metformin 500 mg twice daily', kind: 'treatment' }, { text: 'Start ibuprofen 400 mg', kind: 'treatment' }, { text: 'Start ramipril 2.5 mg', kind: 'treatment' }],
        treatmentOptions: [
          { text: 'Start metformin 500 mg twice daily', action: 'start', drugs: ['metformin'], fit: 'adjust', reasons: [{ fit: 'adjust', check: 'kidney', text: 'eGFR 38: maximum 1,000 mg a day', references: ['Observation/e1'] }], checked: ['kidney'] },
          { text: 'Start ibuprofen 400 mg', action: 'start', drugs: ['ibuprofen'], fit: 'avoid', reasons: [{ fit: 'avoid', check: 'kidney', text: 'eGFR 38 with heart failure: NSAIDs worsen both', references: ['Observation/e1'] }], checked: ['kidney'] },
          { text: 'Start ramipril 2.5 mg', action: 'start', drugs: ['ramipril'], fit: 'fits', reasons: [], checked: ['kidney', 'allergy'] },
        ],
      },
      d2!,
    ],
  };
}

const notRelevant = { code: 'not-relevant', display: 'Not relevant to this patient' };

test('an accepted early sign is drafted under "Early signs noted" with its figure, window and confirmation step; a rejected one never appears', () => {
  const d = composeNoteDraft({
    insight: withSignsAndOptions(),
    decisions: { accepted: [{ itemId: 'sign:egfr-decline' }], rejected: [{ itemId: 'sign:hyponatraemia', reason: notRelevant }] },
    noteType: '11506-3',
  });
  const section = d.sections.find((s) => s.id === 'early-signs');
  assert.equal(section?.title, 'Early signs noted');
  assert.equal(section?.aiDrafted, true);
  assert.equal(section?.reviewed, false);
  const text = renderNoteText(d, signature);
  assert.match(text, new RegExp(`^Early signs noted ${AI_DRAFTED_MARK.replace(/[[\]]/g, '\\$&')}$`, 'm'));
  assert.match(text, /- Kidney function falling fast: Chronic kidney disease, falling 8\.2 mL\/min\/1\.73 m² a year over 4\.8 years \[SNOMED CT 709044004\]\./);
  assert.match(text, /To confirm: Repeat eGFR and urine ACR within 3 months\./);
  for (const absent of ['Sodium low', 'sodium 128', 'Serum osmolality', 'Heart failure']) assert.ok(!text.includes(absent), `"${absent}" must not be in the note`);
  // Signs are not differential items: Provenance's accepted diagnoses stay as they were.
  assert.deepEqual(d.accepted, []);
});

test('an accepted treatment option goes into the plan with its fit and reasons; a rejected one is left out even when its diagnosis is accepted', () => {
  const d = composeNoteDraft({
    insight: withSignsAndOptions(),
    decisions: { accepted: [{ itemId: 'd1' }, { itemId: 'option:d1:0' }], rejected: [{ itemId: 'option:d1:2', reason: notRelevant }] },
    noteType: '11506-3',
  });
  const plan = d.sections.find((s) => s.id === 'plan');
  assert.equal(plan?.aiDrafted, true);
  assert.deepEqual(plan?.lines, ['- Transthoracic echocardiogram (test)', '- Start metformin 500 mg twice daily — adjust: eGFR 38: maximum 1,000 mg a day (treatment)']);
});

test('an option marked avoid is never drafted into the plan, and accepting it is refused', () => {
  const insight = withSignsAndOptions();
  const accepted = composeNoteDraft({ insight, decisions: { accepted: [{ itemId: 'd1' }, { itemId: 'option:d1:2' }], rejected: [] }, noteType: '11506-3' });
  const text = renderNoteText(accepted, signature);
  assert.ok(!text.includes('ibuprofen'), 'an avoid option must not ride in on its accepted diagnosis');
  assert.match(text, /- Start ramipril 2\.5 mg — fits this patient \(checked: kidney, allergy\) \(treatment\)/);
  assert.match(text, /- Start metformin 500 mg twice daily \(treatment\)/);
  assert.throws(() => composeNoteDraft({ insight, decisions: { accepted: [{ itemId: 'option:d1:1' }], rejected: [] }, noteType: '11506-3' }), NoteError);
});

test('decisions naming signs or options the insight lacks are refused', () => {
  const insight = withSignsAndOptions();
  for (const itemId of ['sign:nope', 'option:d1:9', 'option:d9:0', 'option:d2:0']) {
    assert.throws(() => composeNoteDraft({ insight, decisions: { accepted: [{ itemId }], rejected: [] }, noteType: '11506-3' }), NoteError, itemId);
  }
});

test('recomposing with a newly accepted sign adds its section and keeps the clinician\'s edits elsewhere', () => {
  const insight = withSignsAndOptions();
  const first = editSection(composeNoteDraft({ insight, decisions: { accepted: [{ itemId: 'd1' }], rejected: [] }, noteType: '11506-3' }), 'plan', 'Echo this week.');
  const next = recomposeDraft(first, { insight, decisions: { accepted: [{ itemId: 'd1' }, { itemId: 'sign:egfr-decline' }], rejected: [] }, noteType: '11506-3' });
  assert.deepEqual(next.sections.map((s) => s.id), ['assessment', 'early-signs', 'differential', 'plan', 'evidence']);
  assert.deepEqual(next.sections.find((s) => s.id === 'plan')?.lines, ['Echo this week.']);
});
