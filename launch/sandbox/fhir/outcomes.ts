/**
 * OperationOutcomes for every error this server answers. medplum maps an outcome to an HTTP
 * status by its `id`, so the ids below follow its convention; 405 is the one it has no id for.
 */
import './websocket-stub.ts';
import { OperationOutcomeError, getStatus } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

const METHOD_NOT_ALLOWED_ID = 'method-not-allowed';

function outcome(id: string | undefined, code: OperationOutcomeIssue['code'], text: string, expression?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    ...(id ? { id } : {}),
    issue: [{ severity: 'error', code, details: { text }, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export function forbidden(text: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome('forbidden', 'forbidden', text));
}

export function notFound(text: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome('not-found', 'not-found', text));
}

export function invalid(text: string, expression?: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome(undefined, 'invalid', text, expression));
}

export function notSupported(text: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome(undefined, 'not-supported', text));
}

export function methodNotAllowed(text: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome(METHOD_NOT_ALLOWED_ID, 'not-supported', text));
}

export function multipleMatches(text: string): OperationOutcomeError {
  return new OperationOutcomeError(outcome('multiple-matches', 'multiple-matches', text));
}

export function serverError(err: unknown): OperationOutcome {
  const text = err instanceof Error ? err.message : String(err);
  return outcome(undefined, 'exception', `Internal error in the sandbox FHIR server: ${text}`);
}

export function statusOf(result: OperationOutcome): number {
  return result.id === METHOD_NOT_ALLOWED_ID ? 405 : getStatus(result);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof OperationOutcomeError && getStatus(err.outcome) === 404;
}
