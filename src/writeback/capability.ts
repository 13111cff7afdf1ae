/**
 * Whether an EHR's CapabilityStatement says it takes notes the way the configured write profile
 * sends them, so a mismatch is explained to the clinician (and the admin) before anything is sent,
 * instead of surfacing as the EHR's bare refusal.
 */
import type { CapabilityStatement } from 'fhir/r4';
import type { WriteProfile } from '../smart/config.ts';

export interface ProfileCheck {
  readonly ok: boolean;
  /** Plain sentences, one per missing capability. */
  readonly problems: readonly string[];
}

function serverRest(capability: CapabilityStatement) {
  return capability.rest?.find((r) => r.mode === 'server') ?? capability.rest?.[0];
}

function canCreate(capability: CapabilityStatement, type: string): boolean {
  const resource = serverRest(capability)?.resource?.find((r) => r.type === type);
  return resource?.interaction?.some((i) => i.code === 'create') ?? false;
}

export function checkWriteProfile(profile: WriteProfile, capability: CapabilityStatement): ProfileCheck {
  const problems: string[] = [];
  if (!canCreate(capability, 'DocumentReference')) problems.push('It does not list create for DocumentReference, so no note can be filed.');
  if (profile === 'standard') {
    const system = serverRest(capability)?.interaction?.map((i) => i.code) ?? [];
    if (!system.includes('transaction')) problems.push('The standard write profile sends one transaction, and it does not list transactions.');
    for (const type of ['Provenance', 'Device']) {
      if (!canCreate(capability, type)) problems.push(`The standard write profile creates a ${type}, and it does not list create for ${type}.`);
    }
  }
  return { ok: problems.length === 0, problems };
}
