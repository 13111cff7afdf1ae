/**
 * The MSAL token source against a fake of the slice of @azure/msal-browser it uses.
 *
 * Proven here: the library is loaded only on first use and once; silent acquisition comes first
 * and interactive sign-in only from `signIn()`; every "the user must act" answer becomes
 * `unauthorized` with a sign-in message; the configuration MSAL receives (sessionStorage cache,
 * popup relay v2, scope).
 *
 * Only provable against a real Entra tenant in a real browser: that the popup
 * relay page completes a sign-in from inside the EHR's cross-site iframe and within the click's
 * few seconds; that the refresh-token path works with third-party cookies blocked and expires
 * after 24 h; that the app registration, the scope's consent and the "Cognitive Services OpenAI
 * User" role yield a token the Azure endpoint accepts; and that the real library's error codes
 * for these situations are the ones mapped here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COGNITIVE_SERVICES_SCOPE, createMsalTokenSource, type MsalAccount, type MsalConfiguration, type MsalModule } from './msal-token-source.ts';
import { InsightError } from '../types.ts';

const ACCOUNT: MsalAccount = { homeAccountId: 'uid.tid', environment: 'login.microsoftonline.com', tenantId: 'tid', localAccountId: 'uid', username: 'dr.lee@hospital.example' };

class FakeAuthError extends Error {
  constructor(readonly errorCode: string) {
    super(`${errorCode}: details`);
  }
}

interface Fake {
  module: MsalModule;
  loads: number;
  configs: MsalConfiguration[];
  calls: string[];
  silent: Array<{ scopes: string[]; forceRefresh?: boolean }>;
  accounts: MsalAccount[];
  active: MsalAccount | null;
  silentError?: FakeAuthError;
  popupError?: FakeAuthError;
}

function fakeMsal(): Fake & { load: () => Promise<MsalModule> } {
  const fake: Fake = { loads: 0, configs: [], calls: [], silent: [], accounts: [], active: null, module: undefined as unknown as MsalModule };
  let issued = 0;
  class PublicClientApplication {
    constructor(config: MsalConfiguration) {
      fake.configs.push(config);
    }
    async initialize() {
      fake.calls.push('initialize');
    }
    getActiveAccount() {
      return fake.active;
    }
    getAllAccounts() {
      return fake.accounts;
    }
    setActiveAccount(account: MsalAccount | null) {
      fake.active = account;
    }
    async acquireTokenSilent(request: { scopes: string[]; account: MsalAccount; forceRefresh?: boolean }) {
      fake.calls.push('silent');
      fake.silent.push({ scopes: request.scopes, ...(request.forceRefresh ? { forceRefresh: true } : {}) });
      if (fake.silentError) throw fake.silentError;
      return { accessToken: `access-${++issued}`, account: request.account };
    }
    async acquireTokenPopup() {
      fake.calls.push('popup');
      if (fake.popupError) throw fake.popupError;
      fake.accounts = [ACCOUNT];
      return { accessToken: `access-${++issued}`, account: ACCOUNT };
    }
  }
  fake.module = { PublicClientApplication };
  return Object.assign(fake, {
    load: async () => {
      fake.loads++;
      return fake.module;
    },
  });
}

const CONFIG = { clientId: 'client-1', authority: 'https://login.microsoftonline.com/tid', redirectUri: 'https://curbside.example/auth/redirect.html', popupRelayUri: 'https://curbside.example/auth/relay.html' };

async function rejection(promise: Promise<unknown>): Promise<InsightError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InsightError);
    return error;
  }
  assert.fail('expected a rejection');
}

test('the library is not loaded until a token or a sign-in is first needed, and then only once', async () => {
  const fake = fakeMsal();
  fake.accounts = [ACCOUNT];
  const source = createMsalTokenSource({ ...CONFIG, loadMsal: fake.load });
  assert.equal(fake.loads, 0, 'creating the source loads nothing');
  assert.equal(await source.getToken(), 'access-1');
  assert.equal(fake.loads, 1);
  await source.getToken();
  await source.refresh();
  assert.equal(fake.loads, 1);
  assert.deepEqual(fake.calls.filter((c) => c === 'initialize'), ['initialize']);
});

test('MSAL is configured for the iframe: sessionStorage cache, popup relay v2, cognitive services scope', async () => {
  const fake = fakeMsal();
  fake.accounts = [ACCOUNT];
  const source = createMsalTokenSource({ ...CONFIG, loadMsal: fake.load });
  await source.getToken();
  const config = fake.configs[0]!;
  assert.equal(config.cache.cacheLocation, 'sessionStorage');
  assert.equal(config.auth.popupRelayUri, CONFIG.popupRelayUri);
  assert.equal(config.auth.popupRelayProtocolVersion, 2);
  assert.equal(config.auth.redirectUri, CONFIG.redirectUri);
  assert.deepEqual(fake.silent[0]!.scopes, [COGNITIVE_SERVICES_SCOPE]);
  assert.equal(COGNITIVE_SERVICES_SCOPE, 'https://cognitiveservices.azure.com/.default');
});

test('silent first: getToken never opens a window; refresh forces a new token', async () => {
  const fake = fakeMsal();
  fake.accounts = [ACCOUNT];
  const source = createMsalTokenSource({ ...CONFIG, scopes: ['https://cognitiveservices.azure.com/user_impersonation'], loadMsal: fake.load });
  await source.getToken();
  await source.refresh();
  assert.deepEqual(fake.calls, ['initialize', 'silent', 'silent']);
  assert.deepEqual(fake.silent, [
    { scopes: ['https://cognitiveservices.azure.com/user_impersonation'] },
    { scopes: ['https://cognitiveservices.azure.com/user_impersonation'], forceRefresh: true },
  ]);
});

test('no signed-in account → unauthorized asking to sign in, without any window', async () => {
  const fake = fakeMsal();
  const source = createMsalTokenSource({ ...CONFIG, loadMsal: fake.load });
  const error = await rejection(source.getToken());
  assert.equal(error.kind, 'unauthorized');
  assert.match(error.message, /^Sign in to the clinical model/);
  assert.ok(!fake.calls.includes('popup'));
});

test('every interaction-required answer from silent acquisition becomes the sign-in error', async () => {
  for (const code of ['interaction_required', 'login_required', 'consent_required', 'no_tokens_found', 'refresh_token_expired', 'timed_out']) {
    const fake = fakeMsal();
    fake.accounts = [ACCOUNT];
    fake.silentError = new FakeAuthError(code);
    const error = await rejection(createMsalTokenSource({ ...CONFIG, loadMsal: fake.load }).getToken());
    assert.equal(error.kind, 'unauthorized', code);
    assert.match(error.message, /^Sign in to the clinical model/, code);
    assert.ok(!fake.calls.includes('popup'), code);
    assert.doesNotMatch(error.message, /details/, 'the library message stays in the cause');
  }
  const offline = fakeMsal();
  offline.accounts = [ACCOUNT];
  offline.silentError = new FakeAuthError('no_network_connectivity');
  assert.equal((await rejection(createMsalTokenSource({ ...CONFIG, loadMsal: offline.load }).getToken())).kind, 'network');
});

test('signIn opens the popup, remembers the account, and later tokens come silently', async () => {
  const fake = fakeMsal();
  const source = createMsalTokenSource({ ...CONFIG, loginHint: 'dr.lee@hospital.example', loadMsal: fake.load });
  assert.equal(await source.account(), undefined);
  await source.signIn();
  assert.deepEqual(fake.active, ACCOUNT);
  assert.equal(await source.account(), 'dr.lee@hospital.example');
  await source.getToken();
  assert.deepEqual(fake.calls, ['initialize', 'popup', 'silent']);
  assert.equal(fake.loads, 1);
});

test('sign-in failures: cancelled by the user, blocked popup', async () => {
  const cancelled = fakeMsal();
  cancelled.popupError = new FakeAuthError('user_cancelled');
  assert.equal((await rejection(createMsalTokenSource({ ...CONFIG, loadMsal: cancelled.load }).signIn())).kind, 'cancelled');
  const blocked = fakeMsal();
  blocked.popupError = new FakeAuthError('popup_window_error');
  const error = await rejection(createMsalTokenSource({ ...CONFIG, loadMsal: blocked.load }).signIn());
  assert.equal(error.kind, 'unauthorized');
  assert.match(error.message, /pop-ups/);
});

test('preload loads and initialises ahead of the click; a failed load is retried next time', async () => {
  const fake = fakeMsal();
  let fail = true;
  const source = createMsalTokenSource({
    ...CONFIG,
    loadMsal: () => (fail ? Promise.reject(new Error('chunk failed')) : fake.load()),
  });
  assert.equal((await rejection(source.preload())).kind, 'network');
  fail = false;
  await source.preload();
  assert.deepEqual(fake.calls, ['initialize']);
});

test('no module in src/ imports @azure/msal-browser statically or puts it on window', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  assert.ok(files.length > 10);
  for (const file of files) {
    const source = readFileSync(`${root}${file}`, 'utf8');
    assert.doesNotMatch(source, /(?:from|import)\s+['"]@azure\/msal-browser['"]/, file);
    assert.doesNotMatch(source, /window\.msal\s*=/, file);
  }
  const self = readFileSync(fileURLToPath(new URL('./msal-token-source.ts', import.meta.url)), 'utf8');
  assert.match(self, /await load\(\)/);
  assert.match(self, /import\('@azure\/msal-browser'\)/, 'the one reference is a dynamic import');
});
