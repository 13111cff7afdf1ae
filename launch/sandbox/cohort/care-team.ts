/**
 * The hospital and its clinicians. Fixed (not seeded): launches, tests and notes refer to them by id.
 */
import type { Organization, Practitioner } from 'fhir/r4';
import { SYSTEM } from './terminology.ts';

export const ORGANIZATION_ID = 'org-curbside-general';

/** NPI check digit: Luhn over the 9-digit base with the 80840 card-issuer prefix folded in as the constant 24. */
export function npi(base9: string): string {
  if (!/^\d{9}$/.test(base9)) throw new RangeError(`NPI base must be 9 digits: ${base9}`);
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let digit = Number(base9[8 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return base9 + String((10 - (sum % 10)) % 10);
}

export function isValidNpi(value: string): boolean {
  return /^\d{10}$/.test(value) && npi(value.slice(0, 9)) === value;
}

interface Clinician {
  readonly id: string;
  readonly npiBase: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly gender: Practitioner['gender'];
  readonly specialty: string;
}

const CLINICIANS = [
  { id: 'prac-pcp-whitford', npiBase: '123450001', family: 'Whitford', given: ['Ellen', 'M.'], gender: 'female', specialty: 'Family medicine' },
  { id: 'prac-hosp-raman', npiBase: '123450002', family: 'Raman', given: ['Priya'], gender: 'female', specialty: 'Hospital medicine' },
  { id: 'prac-ed-oyelaran', npiBase: '123450003', family: 'Oyelaran', given: ['Marcus'], gender: 'male', specialty: 'Emergency medicine' },
  { id: 'prac-peds-herrera', npiBase: '123450004', family: 'Herrera', given: ['Tomás'], gender: 'male', specialty: 'Pediatrics' },
  { id: 'prac-ob-lindqvist', npiBase: '123450005', family: 'Lindqvist', given: ['Hannah'], gender: 'female', specialty: 'Obstetrics and gynecology' },
  { id: 'prac-neph-achterberg', npiBase: '123450006', family: 'Achterberg', given: ['Samuel'], gender: 'male', specialty: 'Nephrology' },
  { id: 'prac-geri-okonkwo', npiBase: '123450007', family: 'Okonkwo-Bell', given: ['Grace'], gender: 'female', specialty: 'Geriatric medicine' },
  { id: 'prac-cards-zhang', npiBase: '123450008', family: 'Zhang', given: ['Wei'], gender: 'male', specialty: 'Cardiology' },
  { id: 'prac-rad-nakamura', npiBase: '123450009', family: 'Nakamura', given: ['Kenji'], gender: 'male', specialty: 'Diagnostic radiology' },
] as const satisfies readonly Clinician[];

export type PractitionerId = (typeof CLINICIANS)[number]['id'];

/** Short names for scenario code. */
export const DOCTOR = {
  pcp: 'prac-pcp-whitford',
  hospitalist: 'prac-hosp-raman',
  emergency: 'prac-ed-oyelaran',
  paediatrician: 'prac-peds-herrera',
  obstetrician: 'prac-ob-lindqvist',
  nephrologist: 'prac-neph-achterberg',
  geriatrician: 'prac-geri-okonkwo',
  cardiologist: 'prac-cards-zhang',
  radiologist: 'prac-rad-nakamura',
} as const satisfies Record<string, PractitionerId>;

export function buildPractitioners(): Practitioner[] {
  return CLINICIANS.map((c) => ({
    resourceType: 'Practitioner',
    id: c.id,
    identifier: [{ use: 'official', system: SYSTEM.npi, value: npi(c.npiBase) }],
    active: true,
    name: [{ use: 'official', text: `${c.given.join(' ')} ${c.family}, MD`, family: c.family, given: [...c.given], prefix: ['Dr.'], suffix: ['MD'] }],
    telecom: [{ system: 'phone', value: `+1-555-010-${c.npiBase.slice(-4)}`, use: 'work' }],
    gender: c.gender,
    qualification: [
      {
        code: { coding: [{ system: SYSTEM.degree, code: 'MD', display: 'Doctor of Medicine' }], text: `MD, ${c.specialty}` },
        issuer: { display: 'State Medical Board' },
      },
    ],
  }));
}

export function buildOrganization(): Organization {
  return {
    resourceType: 'Organization',
    id: ORGANIZATION_ID,
    identifier: [{ system: SYSTEM.npi, value: npi('123459990') }],
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: 'prov', display: 'Healthcare Provider' }] }],
    name: 'Curbside General Hospital',
    telecom: [{ system: 'phone', value: '+1-555-010-0000', use: 'work' }],
    address: [{ use: 'work', line: ['1 Hospital Way'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }],
  };
}
