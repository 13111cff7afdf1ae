/**
 * Checks a parsed search against what the in-memory engine evaluates faithfully, fills in
 * paging, and builds the paging links. The engine itself (matching, sorting, includes) is medplum's.
 */
import './websocket-stub.ts';
import { Operator, formatSearchQuery, isResourceType, splitSearchOnComma } from '@medplum/core';
import type { Filter, IncludeTarget, SearchRequest } from '@medplum/core';
import type { BundleLink } from '@medplum/fhirtypes';
import { SUPPORTED_PARAM_TYPES, isServedType, searchParam } from './definitions.ts';
import { invalid, notSupported } from './outcomes.ts';

export interface PageLimits {
  readonly defaultCount: number;
  readonly maxCount: number;
}

/**
 * Returns the request the repository should run, or throws a 400 OperationOutcome. The engine
 * answers an unknown parameter, or a number or quantity one, with zero matches and no error;
 * here those are refused so that a mistyped query fails loudly. `_count` above the maximum is
 * clamped, as FHIR lets a server do.
 */
export function prepareSearch<T extends SearchRequest>(request: T, limits: PageLimits, baseUrl: string, paged = true): T {
  const type = request.resourceType;
  if (request.types?.length) throw notSupported('Searching several resource types at once (_type) is not supported; search one type at a time');
  if (!isServedType(type)) throw invalid(`Unknown resource type: ${type}`);
  if (request.cursor !== undefined) throw notSupported('_cursor paging is not supported; follow the next link, which uses _offset');

  const filters: Filter[] = [];
  for (const filter of request.filters ?? []) {
    const checked = checkFilter(type, filter, baseUrl);
    if (checked) filters.push(checked);
  }
  for (const rule of request.sortRules ?? []) {
    const param = searchParam(type, rule.code);
    if (!param || !SUPPORTED_PARAM_TYPES.has(param.type ?? '')) throw invalid(`Cannot sort ${type} by '${rule.code}': no such search parameter`, '_sort');
  }
  for (const target of request.include ?? []) checkInclude(type, target, '_include');
  for (const target of request.revInclude ?? []) checkInclude(type, target, '_revinclude');
  if (request.total !== undefined && !['none', 'estimate', 'accurate'].includes(request.total)) {
    throw invalid(`_total must be none, estimate or accurate, not '${request.total}'`, '_total');
  }

  let count = request.count;
  let offset = request.offset;
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) throw invalid('_count must be a whole number of 0 or more', '_count');
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) throw invalid('_offset must be a whole number of 0 or more', '_offset');
  if (paged) {
    count = Math.min(count ?? limits.defaultCount, limits.maxCount);
    offset ??= 0;
  }
  return { ...request, filters, ...(count !== undefined ? { count } : {}), ...(offset !== undefined ? { offset } : {}) };
}

function checkFilter(type: string, filter: Filter, baseUrl: string): Filter | undefined {
  if (filter.code.startsWith('_has')) throw notSupported('Reverse chaining (_has) is not supported');
  if (filter.code.includes('.')) {
    const left = filter.code.slice(0, filter.code.indexOf('.'));
    const refCode = left.split(':')[0] ?? left;
    if (searchParam(type, refCode)?.type !== 'reference') throw invalid(`Cannot chain through '${refCode}': ${type} has no such reference parameter`, filter.code);
    return filter;
  }
  const param = searchParam(type, filter.code);
  if (!param) throw invalid(`Unknown search parameter '${filter.code}' for ${type}`, filter.code);
  if (!SUPPORTED_PARAM_TYPES.has(param.type ?? '')) {
    throw notSupported(`Search parameter '${filter.code}' of ${type} is a ${param.type ?? 'special'} parameter, which this sandbox cannot evaluate`);
  }
  // FHIR: a parameter with an empty value is ignored.
  if (filter.value === '' && filter.operator === Operator.EQUALS) return undefined;
  if (param.type === 'reference' && filter.operator === Operator.EQUALS) {
    return { ...filter, value: normalizeReferenceValue(filter.value, param.target ?? [], baseUrl) };
  }
  return filter;
}

/**
 * The engine matches a bare id only on single-target parameters, so `subject=123` would find
 * nothing; FHIR means "any target type with that id", which is spelled out here. Absolute URLs
 * on this server become relative, as they are stored.
 */
function normalizeReferenceValue(value: string, targets: readonly string[], baseUrl: string): string {
  const parts = splitSearchOnComma(value).flatMap((raw) => {
    const part = raw.startsWith(`${baseUrl}/`) ? raw.slice(baseUrl.length + 1) : raw;
    if (part.includes('/') || targets.length <= 1) return [part];
    return targets.map((t) => `${t}/${part}`);
  });
  return parts.map((p) => p.replaceAll(',', '\\,')).join(',');
}

function checkInclude(type: string, target: IncludeTarget, name: string): void {
  const from = target.resourceType;
  if (!isResourceType(from)) throw invalid(`${name}: unknown resource type '${from}'`, name);
  if (name === '_include' && from !== type && target.modifier !== Operator.ITERATE) {
    throw invalid(`_include=${from}:${target.searchParam} does not apply to a ${type} search`, name);
  }
  const param = searchParam(from, target.searchParam);
  if (param?.type !== 'reference') throw invalid(`${name}: ${from} has no reference parameter '${target.searchParam}'`, name);
  if (target.targetType && !isResourceType(target.targetType)) throw invalid(`${name}: unknown target type '${target.targetType}'`, name);
}

/**
 * medplum applies `_sort` keys one after another with a stable sort, which makes the last key
 * the primary one; FHIR's first key is primary, so the repository gets them reversed.
 */
export function engineSortOrder<T extends SearchRequest>(request: T): T {
  return request.sortRules && request.sortRules.length > 1 ? { ...request, sortRules: [...request.sortRules].reverse() } : request;
}

export function pageLinks(request: SearchRequest, total: number | undefined, baseUrl: string): BundleLink[] {
  const url = (offset: number): string => `${baseUrl}/${request.resourceType}${formatSearchQuery({ ...request, offset })}`;
  const offset = request.offset ?? 0;
  const count = request.count ?? 0;
  const links: BundleLink[] = [{ relation: 'self', url: url(offset) }];
  if (count > 0 && total !== undefined && offset + count < total) links.push({ relation: 'next', url: url(offset + count) });
  if (count > 0 && offset > 0) links.push({ relation: 'previous', url: url(Math.max(0, offset - count)) });
  return links;
}
