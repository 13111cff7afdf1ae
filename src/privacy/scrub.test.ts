import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createScrubber, type RedactionCounts, type ScrubContext } from './scrub.ts';

const CONTEXT: ScrubContext = {
  names: ['Zoë Ñúñez-Łukasiewicz', 'Jürgen Weiß', 'Aoife Ní Bhriain', 'Xiuying Li', '李秀英', 'Abe604 Kuhn96'],
  values: [
    { value: 'CB1000003', kind: 'identifier' },
    { value: 'Springfield', kind: 'address' },
  ],
  fhirIds: new Set(['ida-03', 'ida-03-obs-0042']),
  referenceYear: 2026,
};

function scrub(text: string, context: ScrubContext = CONTEXT): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = {};
  return { text: createScrubber(context).scrub(text, counts), counts };
}

describe('names', () => {
  test('every part of a known name, in any case, with or without diacritics', () => {
    const cases: Array<[string, string]> = [
      ['Zoë Ñúñez-Łukasiewicz came in.', '[name] came in.'],
      ['ZOE NUNEZ-LUKASIEWICZ', '[name]'],
      ['zoe says hi', '[name] says hi'],
      ['Mrs Lukasiewicz and Ms Nunez', 'Mrs [name] and Ms [name]'],
      ['Juergen Weiss, jürgen weiß, Weiss', '[name], [name], [name]'],
      ['Aoife Ni Bhriain', '[name]'],
      ['Li Xiuying; Xiuying Li', '[name]; [name]'],
      ['李秀英来了', '[name]来了'],
      ['Abe604 is a 45 year-old; Abe agreed', '[name] is a 45 year-old; [name] agreed'],
    ];
    for (const [input, expected] of cases) assert.equal(scrub(input).text, expected, input);
  });

  test('names are matched as words, so ordinary words survive', () => {
    assert.equal(scrub('Zoetrope, lithium (Li) 0.8 mmol/L, weissbier').text, 'Zoetrope, lithium (Li) 0.8 mmol/L, weissbier');
  });

  test('titles and relations introduce names the chart does not hold', () => {
    assert.equal(scrub('Hi Dr. Whitford, seen with Dr Raman; daughter Sarah called; wife, Ann, present.').text, 'Hi Dr. [name], seen with Dr [name]; daughter [name] called; wife, [name], present.');
    assert.equal(scrub('Son requests no changes. Called daughter: patient tired. Nurse triage call.').text, 'Son requests no changes. Called daughter: patient tired. Nurse triage call.');
  });
});

describe('dates', () => {
  test('every common format becomes [date]', () => {
    const formats = [
      '2024-12-03',
      '2024-12-03T14:05:00Z',
      '2024-12-03 14:05',
      '2024/12/03',
      '20241203',
      '12/03/2024',
      '3/12/24',
      '03.12.2024',
      '3-12-2024',
      '3 Dec 2024',
      '3rd of December 2024',
      '03-Dec-2024',
      'December 3, 2024',
      'Dec. 3rd 2024',
      'Dec 3',
      '3 December',
      'December 2024',
      '12/2024',
    ];
    for (const date of formats) {
      const { text, counts } = scrub(`seen on ${date}, stable`);
      assert.equal(text, 'seen on [date], stable', date);
      assert.equal(counts.date, 1, date);
    }
    assert.equal(scrub('Seen in August.').text, 'Seen in [date].');
  });

  test('numbers that are not dates survive', () => {
    const clinical = 'BP 154/97 and 128/82; MoCA 14/30; K 3.5-5.0; 3-6 months; HbA1c 6.7 %; at 04:10; may 2 puffs help; 1.2 mg/dL';
    assert.equal(scrub(clinical).text, clinical);
  });

  test('years and ages that would reveal an age over 89', () => {
    assert.equal(scrub('92-year-old woman, aged 95, 45 y/o son').text, '90+ year-old woman, aged 90+, 45 y/o son');
    assert.equal(scrub('born 1931; married 1958; widowed 1936; moved in 1990; 1800 kcal diet').text, 'born [year]; married 1958; widowed [year]; moved in 1990; 1800 kcal diet');
  });
});

describe('contact details, identifiers and places', () => {
  test('phones, emails, URLs, SSNs and IP addresses', () => {
    const { text, counts } = scrub(
      'Call +1-555-201-4520, (217) 555-0199 x12 or +44 20 7946 0958; mail zoe.nl@example.org; see https://portal.example.org/msg?id=5, www.example.com and example.org. SSN 123-45-6789. From 10.0.0.12.',
    );
    assert.equal(text, 'Call [phone], [phone] or [phone]; mail [email]; see [url], [url] and [url]. SSN [ssn]. From [ip].');
    assert.deepEqual(counts, { phone: 3, email: 1, url: 3, ssn: 1, 'ip-address': 1 });
  });

  test('record numbers, labelled or long, UUIDs and the chart’s own FHIR ids', () => {
    const { text } = scrub('MRN: CB1000003, MR# 00123456, acct# 99812, Policy number XK-7781-02, ID 4471023; ref ida-03-obs-0042 / ida-03; 78f005f3-7b33-4a5b-84d9-28417b36dbab; sample AB12345C; 1234567.');
    assert.equal(text, 'MRN: [id], MR# [id], acct# [id], Policy number [id], ID [id]; ref [id] / [id]; [id]; sample [id]; [id].');
  });

  test('known values are removed whatever their case', () => {
    assert.equal(scrub('Lives in SPRINGFIELD; chart cb1000003').text, 'Lives in [address]; chart [id]');
  });

  test('street addresses and ZIP codes', () => {
    const { text, counts } = scrub('At 418 Sycamore Lane, Apt 3B; 1530 S 11th St; 15 Willow Bend Retirement Village; PO Box 77; Chatham, IL 62629; ZIP 62704-1234; zip: 62703.');
    assert.equal(text, 'At [address]; [address]; [address]; [address]; Chatham, IL [zip]; ZIP [zip]; zip: [zip].');
    assert.equal(counts.address, 4);
    assert.equal(counts['postal-code'], 3);
  });

  test('clinical shorthand is left alone', () => {
    const clinical = 'SGLT2 inhibitor; HbA1c; L3 lucency; eGFR 98979-8; 10*3/uL; 2 St John wort; CKD-EPI; NT-proBNP 12000; seen at 04:10 Dr Raman';
    assert.equal(scrub(clinical).text, clinical.replace('Dr Raman', 'Dr [name]'));
  });

  test('invisible characters cannot split an identifier', () => {
    const { text, counts } = scrub('Zo\u200Bë called 555\u200D-201-4520');
    assert.equal(text, '[name] called [phone]');
    assert.equal(counts['hidden-character'], 2);
  });
});
