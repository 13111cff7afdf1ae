import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAuthorizeError, classifyReadyError, launchProblem } from './launch-errors.ts';

test('an OAuth error on the redirect URL wins over the thrown message', () => {
  const denied = classifyReadyError(new Error('access_denied: The user denied'), new URLSearchParams('error=access_denied&state=x'));
  assert.equal(denied.kind, 'authorization-denied');
  const failed = classifyReadyError(new Error('x'), new URLSearchParams('error=invalid_request&error_description=aud+mismatch'));
  assert.equal(failed.kind, 'authorization-failed');
  assert.match(failed.message, /aud mismatch/);
});

test("fhirclient's missing-state errors become an expired launch", () => {
  assert.equal(classifyReadyError(new Error('No state found! Please (re)launch the app.'), new URLSearchParams('code=1&state=tampered')).kind, 'state-invalid');
  assert.equal(classifyReadyError(new Error("No 'state' parameter found. Please (re)launch the app."), new URLSearchParams()).kind, 'state-invalid');
});

test('a failed code exchange is a token problem, anything else is unexpected but keeps its message', () => {
  assert.equal(classifyReadyError(new Error('400 Bad Request\nURL: http://x/auth/token\n\ninvalid_grant'), new URLSearchParams('code=1&state=s')).kind, 'token-failed');
  const other = classifyReadyError(new Error('boom'), new URLSearchParams());
  assert.equal(other.kind, 'unexpected');
  assert.equal(other.message, 'boom');
});

test('discovery and PKCE failures during authorize are recognised', () => {
  assert.equal(classifyAuthorizeError(new TypeError('Failed to fetch')).kind, 'discovery-failed');
  assert.equal(classifyAuthorizeError(new Error('Required PKCE code challenge method (`S256`) was not found in the server\'s codeChallengeMethods declaration.')).kind, 'pkce-unsupported');
});

test('every problem tells the clinician what to do next', () => {
  for (const kind of ['missing-launch-parameters', 'unknown-ehr', 'not-registered', 'state-invalid', 'authorization-denied'] as const) {
    const problem = launchProblem(kind);
    assert.ok(problem.title.length > 0 && problem.action.length > 0, kind);
  }
});
