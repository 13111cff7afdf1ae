/**
 * Note write-back against the sandbox over real HTTP: the three write profiles as the EHRs they
 * stand for accept a note, the one-shot fault queue, the audit sink and the shell's notes view.
 * Notes are built by the app's own `buildWrite`, so these are the requests the writer sends.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuditEvent, Binary, Bundle, CapabilityStatement, Device, DocumentReference, OperationOutcome, Provenance } from 'fhir/r4';
import { startSandbox, type Sandbox, type WriteProfile } from '../../launch/sandbox/server.ts';
import type { WrittenNotes } from '../../launch/sandbox/notes.ts';
import { suggestionAcceptedEvent } from '../../src/audit/events.ts';
import { attest } from '../../src/writeback/attestation.ts';
import { base64ToUtf8 } from '../../src/writeback/encoding.ts';
import { composeNoteDraft, renderNoteText } from '../../src/writeback/note.ts';
import { AIAST, WRITE_ID_SYSTEM, buildWrite, type FhirWriteRequest, type WriteInput } from '../../src/writeback/profiles.ts';
import { sampleInsight } from '../../src/writeback/test-support.ts';

const CLIENT_ID = 'curbside-sandbox';
const runtimeConfig = JSON.parse(readFileSync(new URL('../../public/curbside.config.json', import.meta.url), 'utf8')) as { ehrs: Array<{ id: string; scope: string }> };
/** Exactly what the app asks the sandbox for. */
const APP_SCOPE = runtimeConfig.ehrs.find((e) => e.id === 'sandbox')!.scope;

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ quiet: true, largePatientObservations: 50, loadSynthea: false });
  // The first token pays for the signing key's generation; keep that out of the first test's time.
  await signIn();
});
after(() => sandbox?.close());
beforeEach(() => {
  sandbox.settings.writeProfile = 'standard';
  sandbox.faults.clear();
});

interface Session {
  readonly access: string;
  readonly refresh: string;
  readonly patient: string;
  readonly encounter: string;
  /** Absolute, from the id_token, as the app attests with it. */
  readonly fhirUser: string;
}

let nextPatient = 0;

/** A fresh EHR launch for a patient no other test writes to, through authorize and token. */
async function signIn(): Promise<Session> {
  const candidates = sandbox.patients.filter((p) => p.source === 'synthetic' && p.encounterId && !p.deceased);
  const patient = candidates[nextPatient++ % candidates.length]!;
  const launched = await fetch(`${sandbox.ehrOrigin}/ehr/launch`, { method: 'POST', body: JSON.stringify({ patientId: patient.id }) });
  const launch = new URL(((await launched.json()) as { launchUrl: string }).launchUrl).searchParams.get('launch')!;
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `${sandbox.appOrigin}/index.html`;
  const authorize = new URL(`${sandbox.ehrOrigin}/auth/authorize`);
  const params = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    scope: APP_SCOPE,
    state: 's',
    aud: sandbox.fhirBase,
    launch,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  const redirected = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirected.headers.get('location')!).searchParams.get('code');
  assert.ok(code, redirected.headers.get('location') ?? 'no redirect');
  const token = await tokenRequest({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: CLIENT_ID });
  assert.equal(token.status, 200);
  const body = (await token.json()) as Record<string, string>;
  const claims = JSON.parse(Buffer.from(body.id_token!.split('.')[1]!, 'base64url').toString('utf8')) as { fhirUser: string };
  assert.deepEqual(
    APP_SCOPE.split(' ').filter((s) => !body.scope!.split(' ').includes(s)),
    [],
    'the sandbox grants every scope the app asks for',
  );
  return { access: body.access_token!, refresh: body.refresh_token!, patient: patient.id, encounter: body.encounter!, fhirUser: claims.fhirUser };
}

function tokenRequest(form: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.ehrOrigin}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
}

async function writeInput(session: Session, clinicianText = 'Breathless on exertion; naïve to diuretics. <b>5 & 6</b>'): Promise<WriteInput> {
  const draft = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [{ itemId: 'd1' }], rejected: [] }, clinicianText, noteType: '11506-3' });
  const signature = { clinicianName: 'Dr Ana Ruiz', fhirUser: session.fhirUser, attestedAt: new Date().toISOString(), writeId: randomUUID() };
  const text = renderNoteText(draft, signature);
  const now = Date.now();
  return {
    draft,
    text,
    attestation: await attest(text, signature),
    patientId: session.patient,
    encounterId: session.encounter,
    period: { start: new Date(now - 3_600_000).toISOString(), end: new Date(now).toISOString() },
  };
}

async function planned(profile: WriteProfile, session: Session, input?: WriteInput): Promise<{ input: WriteInput; request: FhirWriteRequest }> {
  const given = input ?? (await writeInput(session));
  const plan = await buildWrite(profile, given);
  assert.equal(plan.requests.length, 1);
  return { input: given, request: plan.requests[0]! };
}

function post(session: Session, request: { url: string; body: unknown; headers?: Readonly<Record<string, string>> }, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sandbox.fhirBase}/${request.url}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.access}`, 'content-type': 'application/fhir+json', ...request.headers },
    body: JSON.stringify(request.body),
    ...(signal ? { signal } : {}),
  });
}

function get(session: Session | string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const access = typeof session === 'string' ? session : session.access;
  return fetch(`${sandbox.fhirBase}/${path}`, { headers: { authorization: `Bearer ${access}`, ...headers } });
}

async function outcomeOf(res: Response, status: number | RegExp): Promise<string> {
  const body = (await res.json()) as OperationOutcome;
  if (typeof status === 'number') assert.equal(res.status, status, JSON.stringify(body));
  else assert.match(String(res.status), status, JSON.stringify(body));
  assert.equal(body.resourceType, 'OperationOutcome');
  return body.issue.map((i) => i.details?.text ?? i.diagnostics ?? '').join(' ');
}

/** What the EHR shell shows for the patient: the notes apps wrote, decoded from inline data or Binary. */
async function shellNotes(patient: string): Promise<WrittenNotes> {
  const res = await fetch(`${sandbox.ehrOrigin}/ehr/notes?patient=${encodeURIComponent(patient)}`);
  assert.equal(res.status, 200);
  return (await res.json()) as WrittenNotes;
}

async function storedWith(patient: string, writeId: string): Promise<WrittenNotes['notes']> {
  return (await shellNotes(patient)).notes.filter((n) => n.text?.includes(writeId));
}

describe('standard profile', () => {
  test('a transaction stores the note, the model Device and a Provenance; a replay keeps one note', async () => {
    const session = await signIn();
    const { input, request } = await planned('standard', session);
    const res = await post(session, request);
    const bundle = (await res.json()) as Bundle;
    assert.equal(res.status, 200, JSON.stringify(bundle));
    assert.deepEqual(bundle.entry?.map((e) => e.response?.status), ['201', '201', '201']);
    const [noteRef, deviceRef] = bundle.entry!.map((e) => e.response!.location!.split('/_history')[0]!);

    const note = (await (await get(session, noteRef!)).json()) as DocumentReference;
    assert.deepEqual(note.identifier, [{ system: WRITE_ID_SYSTEM, value: input.attestation.writeId }]);
    assert.deepEqual(note.meta?.security, [AIAST]);
    assert.equal(base64ToUtf8(note.content[0]!.attachment.data!), input.text);
    const device = await sandbox.fhir.readUnchecked<Device>('Device', deviceRef!.split('/')[1]!);
    assert.equal(device?.deviceName?.[0]?.name, 'Example Clinical Model');
    const provenance = await sandbox.fhir.searchUnchecked<Provenance>('Provenance', `target=${noteRef}`);
    assert.equal(provenance.length, 1);
    assert.deepEqual(provenance[0]!.agent.map((a) => a.who.reference), [`Practitioner/${session.fhirUser.split('/').pop()}`, `Practitioner/${session.fhirUser.split('/').pop()}`, deviceRef]);

    const replay = (await (await post(session, request)).json()) as Bundle;
    assert.deepEqual(replay.entry?.slice(0, 2).map((e) => e.response?.status), ['200', '200'], 'conditional creates matched');
    assert.equal(replay.entry?.[0]?.response?.location?.split('/_history')[0], noteRef);
    const found = (await (await get(session, `DocumentReference?patient=${session.patient}&identifier=${WRITE_ID_SYSTEM}|${input.attestation.writeId}`)).json()) as Bundle;
    assert.equal(found.entry?.filter((e) => e.search?.mode === 'match').length, 1);
    assert.equal((await sandbox.fhir.searchUnchecked('Device', 'identifier=urn:curbside:model|Example Clinical Model@2026-04')).length, 1);
  });

  test('AuditEvent create is accepted and counted for the patient', async () => {
    const session = await signIn();
    const event = auditEvent(session);
    const res = await post(session, { url: 'AuditEvent', body: event });
    assert.equal(res.status, 201, await res.clone().text());
    assert.deepEqual((await shellNotes(session.patient)).auditEvents, { fhir: 1, sink: 0 });
  });

  test('the CapabilityStatement follows the profile', async () => {
    const interactions = async (): Promise<{ bundles: boolean; provenanceCreate: boolean }> => {
      const statement = (await (await fetch(`${sandbox.fhirBase}/metadata`)).json()) as CapabilityStatement;
      const rest = statement.rest![0]!;
      const provenance = rest.resource!.find((r) => r.type === 'Provenance')!;
      return { bundles: (rest.interaction ?? []).some((i) => i.code === 'transaction'), provenanceCreate: provenance.interaction!.some((i) => i.code === 'create') };
    };
    assert.deepEqual(await interactions(), { bundles: true, provenanceCreate: true });
    sandbox.settings.writeProfile = 'epic';
    assert.deepEqual(await interactions(), { bundles: false, provenanceCreate: false });
  });
});

function auditEvent(session: Session): AuditEvent {
  return suggestionAcceptedEvent(
    {
      clinician: session.fhirUser,
      model: { provider: 'openai-compatible', name: 'Example Clinical Model', version: '2026-04', builtIn: false },
      patientId: session.patient,
      encounterId: session.encounter,
      recorded: new Date().toISOString(),
    },
    { insightId: 'ins-1', itemId: 'd1' },
  );
}

describe('epic profile', () => {
  beforeEach(() => {
    sandbox.settings.writeProfile = 'epic';
  });

  test('a create answers 201 with a Location and {}; the note gets Epic identifiers and Binary renditions', async () => {
    const session = await signIn();
    const { input, request } = await planned('epic', session);
    const res = await post(session, request);
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), {});
    const location = res.headers.get('location');
    assert.match(location ?? '', new RegExp(`^${sandbox.fhirBase}/DocumentReference/[^/]+$`));

    const note = (await (await get(session, location!.slice(sandbox.fhirBase.length + 1))).json()) as DocumentReference;
    assert.ok(!note.identifier?.some((i) => i.system === WRITE_ID_SYSTEM), 'the client identifier is gone');
    assert.ok(note.identifier?.some((i) => i.system === 'urn:oid:1.2.840.114350.1.72.3.15'));
    assert.equal(note.docStatus, 'preliminary', 'docStatus is kept as sent');
    assert.deepEqual(note.context?.encounter, [{ reference: `Encounter/${session.encounter}` }]);
    assert.deepEqual(note.content.map((c) => c.attachment.contentType), ['text/html', 'text/rtf']);
    assert.ok(note.type?.coding?.some((c) => c.system === 'http://loinc.org' && c.code === '11506-3' && c.userSelected), 'LOINC kept as the user-selected coding');

    const [html, rtf] = await Promise.all(
      note.content.map(async (c) => {
        assert.match(c.attachment.url ?? '', /^Binary\/[^/]+$/, 'relative Binary url');
        const binary = (await (await get(session, c.attachment.url!)).json()) as Binary;
        assert.equal(binary.contentType, c.attachment.contentType);
        return Buffer.from(binary.data!, 'base64').toString('utf8');
      }),
    );
    assert.ok(html!.includes(input.attestation.writeId) && rtf!.includes(input.attestation.writeId));
    assert.ok(html!.includes('&#60;b&#62;5 &#38; 6&#60;/b&#62;') && !html!.includes('<b>'), 'HTML-escaped');
    assert.ok(rtf!.startsWith('{\\rtf1') && rtf!.includes('na\\u239?ve'), 'RTF-escaped');
    const raw = await get(session, note.content[0]!.attachment.url!, { accept: 'text/html' });
    assert.equal(raw.headers.get('content-type'), 'text/html');
    assert.equal(await raw.text(), html);

    const shown = (await storedWith(session.patient, input.attestation.writeId))[0];
    assert.equal(shown?.text, input.text, 'the shell decodes the HTML rendition back to the note');
    assert.deepEqual([shown?.profile, shown?.dropped, shown?.provenance], ['epic', ['identifier'], []]);
  });

  test('If-None-Exist is ignored: a replayed create files a second note', async () => {
    const session = await signIn();
    const { input, request } = await planned('epic', session);
    const conditional = { ...request, headers: { 'if-none-exist': `identifier=${WRITE_ID_SYSTEM}|${input.attestation.writeId}` } };
    assert.equal((await post(session, conditional)).status, 201);
    assert.equal((await post(session, conditional)).status, 201);
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 2);
  });

  test('refuses Bundles, Provenance, Device and AuditEvent writes, and a note without an encounter', async () => {
    const session = await signIn();
    const standard = (await planned('standard', session)).request;
    assert.match(await outcomeOf(await post(session, standard), /^4\d\d$/), /batch or transaction/);
    const entries = (standard.body as Bundle).entry!;
    for (const resource of [entries[1]!.resource!, entries[2]!.resource!, auditEvent(session)]) {
      const res = await post(session, { url: resource.resourceType, body: resource });
      assert.match(await outcomeOf(res, 405), new RegExp(resource.resourceType));
    }
    const { request } = await planned('epic', session);
    const note = structuredClone(request.body) as DocumentReference;
    delete note.context;
    assert.match(await outcomeOf(await post(session, { url: 'DocumentReference', body: note }), 400), /encounter/);
    assert.deepEqual((await shellNotes(session.patient)).notes, []);
  });
});

describe('oracle profile', () => {
  beforeEach(() => {
    sandbox.settings.writeProfile = 'oracle';
  });

  test('a create answers 201 with a Location and no body; identifier and meta.security are silently dropped', async () => {
    const session = await signIn();
    const { input, request } = await planned('oracle', session);
    // A client that sends them anyway, as the standard profile does.
    const body: DocumentReference = { ...(request.body as DocumentReference), identifier: [{ system: WRITE_ID_SYSTEM, value: input.attestation.writeId }], meta: { security: [AIAST] } };
    const res = await post(session, { url: 'DocumentReference', body });
    assert.equal(res.status, 201);
    assert.equal(await res.text(), '');
    const location = res.headers.get('location')!;
    const note = (await (await get(session, location.slice(sandbox.fhirBase.length + 1))).json()) as DocumentReference;
    assert.equal(note.identifier, undefined);
    assert.equal(note.meta?.security, undefined);
    assert.equal(base64ToUtf8(note.content[0]!.attachment.data!), input.text);
    const shown = (await shellNotes(session.patient)).notes[0];
    assert.deepEqual([shown?.aiLabel, shown?.dropped], ['dropped', ['identifier', 'meta.security']]);
  });

  test('refuses another author, a non-final note, no period end, and attachments without charset=utf-8', async () => {
    const session = await signIn();
    const { request } = await planned('oracle', session);
    const base = request.body as DocumentReference;
    const attempt = (patch: Partial<DocumentReference>): Promise<Response> => post(session, { url: 'DocumentReference', body: { ...structuredClone(base), ...patch } });

    assert.match(await outcomeOf(await attempt({ author: [{ reference: 'Practitioner/someone-else' }] }), 403), /author/);
    assert.match(await outcomeOf(await attempt({ author: [...base.author!, ...base.author!] }), 403), /exactly one/);
    assert.match(await outcomeOf(await attempt({ docStatus: 'preliminary' }), 422), /final/);
    assert.match(await outcomeOf(await attempt({ context: { ...base.context, period: { start: base.context!.period!.start! } } }), 422), /period\.end/);
    const attachment = base.content[0]!.attachment;
    assert.match(await outcomeOf(await attempt({ content: [{ attachment: { ...attachment, contentType: 'text/plain' } }] }), 422), /charset/);
    assert.match(await outcomeOf(await attempt({ content: [{ attachment }, { attachment }] }), 422), /exactly one/);
    assert.match(await outcomeOf(await post(session, (await planned('standard', session)).request), /^4\d\d$/), /batch or transaction/);
    assert.equal((await post(session, { url: 'AuditEvent', body: auditEvent(session) })).status, 405);
    assert.deepEqual((await shellNotes(session.patient)).notes, []);
  });
});

describe('fault queue', () => {
  test('a status fault answers before processing, with Retry-After, and is spent', async () => {
    const session = await signIn();
    sandbox.faults.push({ on: 'write', kind: 'status', status: 503, retryAfterSeconds: 7 });
    const { input, request } = await planned('standard', session);
    const res = await post(session, request);
    assert.equal(res.headers.get('retry-after'), '7');
    await outcomeOf(res, 503);
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 0);
    assert.deepEqual(sandbox.faults.remaining(), []);
    assert.equal((await post(session, request)).status, 200);
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 1);
  });

  test('afterCommit: the write is stored, then the gateway error is sent instead', async () => {
    const session = await signIn();
    sandbox.settings.writeProfile = 'epic';
    sandbox.faults.push({ on: 'write', kind: 'status', status: 504, afterCommit: true });
    const { input, request } = await planned('epic', session);
    await outcomeOf(await post(session, request), 504);
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 1);
  });

  test('read faults leave writes alone; _search counts as a read', async () => {
    const session = await signIn();
    sandbox.faults.push({ on: 'read', kind: 'status', status: 500 }, { on: 'read', kind: 'status', status: 429 });
    assert.equal((await post(session, { url: 'AuditEvent', body: auditEvent(session) })).status, 201);
    assert.equal(sandbox.faults.remaining().length, 2);
    await outcomeOf(await get(session, `Patient/${session.patient}`), 500);
    const search = await fetch(`${sandbox.fhirBase}/DocumentReference/_search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.access}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `patient=${session.patient}`,
    });
    await outcomeOf(search, 429);
    assert.equal((await get(session, `Patient/${session.patient}`)).status, 200);
  });

  test('drop: the socket closes without an answer, before or after the write is stored', async () => {
    const session = await signIn();
    sandbox.settings.writeProfile = 'oracle';
    const first = await planned('oracle', session);
    sandbox.faults.push({ on: 'write', kind: 'drop' });
    await assert.rejects(post(session, first.request));
    assert.equal((await storedWith(session.patient, first.input.attestation.writeId)).length, 0);

    const second = await planned('oracle', session);
    sandbox.faults.push({ on: 'write', kind: 'drop', afterCommit: true });
    await assert.rejects(post(session, second.request));
    assert.equal((await storedWith(session.patient, second.input.attestation.writeId)).length, 1);
  });

  test('delay: the write is stored even when the client gives up waiting', async () => {
    const session = await signIn();
    sandbox.faults.push({ on: 'write', kind: 'delay', ms: 250 });
    const { input, request } = await planned('standard', session);
    const started = Date.now();
    await assert.rejects(post(session, request, AbortSignal.timeout(60)));
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 1, 'committed before the answer was held back');
    sandbox.faults.push({ on: 'read', kind: 'delay', ms: 150 });
    assert.equal((await get(session, `Patient/${session.patient}`)).status, 200);
    assert.ok(Date.now() - started >= 150);
  });

  test('expire-token: 401 invalid_token, nothing stored, and the refresh token still works', async () => {
    const session = await signIn();
    sandbox.faults.push({ on: 'write', kind: 'expire-token' });
    const { input, request } = await planned('standard', session);
    const refused = await post(session, request);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    await outcomeOf(refused, 401);
    assert.equal((await get(session, `Patient/${session.patient}`)).status, 401, 'the token stays expired');
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 0);

    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refresh, client_id: CLIENT_ID });
    assert.equal(refreshed.status, 200);
    const renewed = { ...session, access: ((await refreshed.json()) as { access_token: string }).access_token };
    assert.equal((await post(renewed, request)).status, 200);
    assert.equal((await storedWith(session.patient, input.attestation.writeId)).length, 1);
  });

  test('/ehr/faults appends, lists, refuses malformed faults and clears', async () => {
    const url = `${sandbox.ehrOrigin}/ehr/faults`;
    const added = await fetch(url, { method: 'POST', body: JSON.stringify([{ on: 'read', kind: 'delay', ms: 5 }, { on: 'write', kind: 'drop', afterCommit: true }]) });
    assert.equal(added.status, 200);
    await fetch(url, { method: 'POST', body: JSON.stringify([{ on: 'write', kind: 'expire-token' }]) });
    assert.deepEqual(await (await fetch(url)).json(), [
      { on: 'read', kind: 'delay', ms: 5 },
      { on: 'write', kind: 'drop', afterCommit: true },
      { on: 'write', kind: 'expire-token' },
    ]);
    for (const bad of [[{ on: 'write', kind: 'status', status: 200 }], [{ on: 'write', kind: 'delay', ms: 5, afterCommit: true }], [{ on: 'both', kind: 'drop' }], [{ on: 'read', kind: 'status', status: 503, retryAfter: 1 }]]) {
      const res = await fetch(url, { method: 'POST', body: JSON.stringify(bad) });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    assert.equal(sandbox.faults.remaining().length, 3, 'nothing queued from a refused request');
    assert.deepEqual(await (await fetch(url, { method: 'DELETE' })).json(), []);
    assert.deepEqual(sandbox.faults.remaining(), []);
  });
});

describe('audit sink', () => {
  test('accepts AuditEvents with CORS, lists them, and refuses anything else', async () => {
    const session = await signIn();
    const url = `${sandbox.ehrOrigin}/ehr/audit-sink`;
    const origin = sandbox.appOrigin;
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    const event = auditEvent(session);
    const res = await fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/fhir+json' }, body: JSON.stringify(event) });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('access-control-allow-origin'), origin);
    assert.deepEqual(sandbox.auditSink.at(-1), event);
    assert.deepEqual(((await (await fetch(url)).json()) as AuditEvent[]).at(-1), event);

    for (const body of [JSON.stringify({ resourceType: 'Patient' }), '{not json', JSON.stringify({ resourceType: 'AuditEvent' })]) {
      const refused = await fetch(url, { method: 'POST', headers: { origin }, body });
      assert.equal(refused.status, 400, body);
      assert.equal(((await refused.json()) as OperationOutcome).resourceType, 'OperationOutcome');
    }
    assert.deepEqual((await shellNotes(session.patient)).auditEvents, { fhir: 0, sink: 1 });
  });
});

describe('notes written by apps, as the EHR shell shows them', () => {
  test('only notes stored after start-up, with label, text, Provenance and the model Device', async () => {
    const session = await signIn();
    const seeded = await sandbox.fhir.searchUnchecked('DocumentReference', `subject=Patient/${session.patient}`);
    assert.ok(seeded.length > 0, 'the cohort patient has notes of its own');
    assert.deepEqual((await shellNotes(session.patient)).notes, []);

    const { input, request } = await planned('standard', session);
    assert.equal((await post(session, request)).status, 200);
    const view = await shellNotes(session.patient);
    assert.equal(view.writeProfile, 'standard');
    const [note] = view.notes;
    assert.equal(view.notes.length, 1);
    assert.equal(note?.text, input.text);
    assert.deepEqual([note?.type, note?.docStatus, note?.aiLabel, note?.profile, note?.textSource], ['Progress note', 'final', 'present', 'standard', 'inline text/plain']);
    assert.deepEqual(note?.authors, [session.fhirUser.slice(sandbox.fhirBase.length + 1)]);
    const provenance = note?.provenance[0];
    assert.deepEqual(provenance?.signatures, [{ who: `Dr Ana Ruiz (${session.fhirUser.slice(sandbox.fhirBase.length + 1)})`, when: input.attestation.attestedAt }]);
    assert.deepEqual(provenance?.agents.at(-1)?.device, { name: 'Example Clinical Model', version: '2026-04' });
    assert.equal((await fetch(`${sandbox.ehrOrigin}/ehr/notes`)).status, 400);
  });
});
