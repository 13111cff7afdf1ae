/**
 * The server's CapabilityStatement, generated from what it actually does: the search parameters
 * listed are exactly those `prepareSearch` accepts, and the interactions those `handle` routes.
 */
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import { servedResourceTypes, usableSearchParams } from './definitions.ts';

export interface CapabilityOptions {
  readonly baseUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly maxPageSize: number;
}

const RESOURCE_INTERACTIONS = ['read', 'vread', 'update', 'create', 'search-type'] as const;

export function buildCapabilityStatement(options: CapabilityOptions): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = servedResourceTypes().map((type) => {
    const params = [...usableSearchParams(type).entries()].sort(([a], [b]) => a.localeCompare(b));
    const searchParam: CapabilityStatementRestResourceSearchParam[] = params.map(([code, p]) => ({
      name: code,
      // medplum defines the Resource-level parameters itself, without their canonical URLs.
      definition: p.url ?? `http://hl7.org/fhir/SearchParameter/Resource-${code.replace(/^_/, '')}`,
      type: p.type as CapabilityStatementRestResourceSearchParam['type'],
    }));
    const searchInclude = params.filter(([, p]) => p.type === 'reference').map(([code]) => `${type}:${code}`);
    return {
      type,
      profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
      interaction: RESOURCE_INTERACTIONS.map((code) => ({ code })),
      versioning: 'versioned',
      readHistory: false,
      updateCreate: false,
      conditionalCreate: true,
      conditionalRead: 'not-supported',
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      referencePolicy: ['literal', 'logical', 'local'],
      ...(searchInclude.length > 0 ? { searchInclude } : {}),
      ...(searchParam.length > 0 ? { searchParam } : {}),
    };
  });

  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'Curbside sandbox EHR' },
    implementation: {
      description: `Curbside sandbox FHIR server (in memory; pages of at most ${options.maxPageSize} entries)`,
      url: options.baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: options.authorizeUrl },
                { url: 'token', valueUri: options.tokenUrl },
              ],
            },
          ],
        },
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
