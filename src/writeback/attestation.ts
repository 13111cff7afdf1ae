/**
 * The clinician's attestation: a statement they affirm and a record binding their identity and
 * the time to the SHA-256 of the exact text filed, so any later change to the text is detectable.
 */
import { sha256Hex } from './encoding.ts';
import type { NoteSignature } from './note.ts';

export function attestationStatement(clinicianName: string): string {
  const name = clinicianName.trim();
  if (!name) throw new Error('An attestation needs the clinician’s name.');
  const titled = /^dr\.?\s/i.test(name) ? name : `Dr ${name}`;
  return `I, ${titled}, have reviewed this note and the AI-assisted content and attest to its accuracy`;
}

export interface Attestation {
  readonly statement: string;
  /** e.g. `Practitioner/123`, from the launch's fhirUser claim. */
  readonly fhirUser: string;
  readonly clinicianName: string;
  /** ISO instant. */
  readonly attestedAt: string;
  readonly writeId: string;
  /** Lower-case hex SHA-256 of the UTF-8 note text as filed. */
  readonly contentHash: string;
}

export async function attest(text: string, signature: NoteSignature): Promise<Attestation> {
  return {
    statement: attestationStatement(signature.clinicianName),
    fhirUser: signature.fhirUser,
    clinicianName: signature.clinicianName,
    attestedAt: signature.attestedAt,
    writeId: signature.writeId,
    contentHash: await sha256Hex(text),
  };
}

/** True when `text` is exactly what was attested. */
export async function matchesAttestation(text: string, attestation: Attestation): Promise<boolean> {
  return (await sha256Hex(text)) === attestation.contentHash;
}

/** A fresh write id; the same id is reused for every retry of one attested note. */
export function newWriteId(): string {
  return crypto.randomUUID();
}
