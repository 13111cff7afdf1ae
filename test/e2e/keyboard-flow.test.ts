/**
 * End to end with the keyboard alone: after the one click that opens a chart in the sandbox EHR,
 * a clinician browses the differential, opens a suggestion's findings, accepts one suggestion,
 * rejects another with a reason, writes the note, confirms the AI-drafted sections, reviews,
 * attests and files it — seeing a focus indicator at every step and hearing streaming and the
 * write's outcome through live regions. The first filing is refused by the EHR, so the failure
 * path (alert, draft kept, "Try again") is walked by keyboard too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually } from '../support/shell.ts';
import type { Sandbox } from '../../launch/sandbox/server.ts';

const PATIENT = 'ckd-01';
/** Enough for the shell's patient list, the chart summary and the citations between two stops. */
const MAX_TABS = 150;

let sandbox: Sandbox;
let chromium: TestBrowser;

before(async () => {
  sandbox = await startTestSandbox({ asOf: '2026-11-20' });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

/** The element that has focus inside the Curbside frame, followed down through shadow roots. */
interface Focused {
  /** Shadow hosts from the document down; the last one owns the element. */
  readonly hosts: readonly string[];
  readonly tag: string;
  readonly id: string;
  readonly part: string;
  readonly role: string;
  readonly name: string;
  readonly checked: boolean;
  readonly disabled: boolean;
  readonly value: string;
  readonly outline: string;
  readonly outlineStyle: string;
  readonly outlineWidth: number;
  readonly outlineColor: string;
  readonly boxShadow: string;
  readonly width: number;
  readonly height: number;
}

const owner = (f: Focused): string | undefined => f.hosts.at(-1);
const hasPart = (f: Focused, part: string): boolean => f.part.split(/\s+/).includes(part);
const describeFocus = (f: Focused | undefined): string =>
  f ? `<${owner(f) ?? 'document'}> ${f.tag}${f.id ? `#${f.id}` : ''}${f.part ? `[part="${f.part}"]` : ''} "${f.name.slice(0, 60)}"` : '(focus outside the Curbside frame)';

async function focused(frame: Frame): Promise<Focused | undefined> {
  return frame.evaluate(() => {
    // Without focus the frame still reports its body as active; that is not a stop in the flow.
    if (!document.hasFocus()) return undefined;
    let el: Element | null = document.activeElement;
    const hosts: string[] = [];
    while (el?.shadowRoot?.activeElement) {
      hosts.push(el.localName);
      el = el.shadowRoot.activeElement;
    }
    if (!el) return undefined;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const input = el as HTMLInputElement;
    return {
      hosts,
      tag: el.localName,
      id: el.id,
      part: el.getAttribute('part') ?? '',
      role: el.getAttribute('role') ?? '',
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      checked: input.checked === true,
      disabled: input.disabled === true,
      value: typeof input.value === 'string' ? input.value : '',
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      outlineStyle: style.outlineStyle,
      outlineWidth: Number.parseFloat(style.outlineWidth) || 0,
      outlineColor: style.outlineColor,
      boxShadow: style.boxShadow,
      width: rect.width,
      height: rect.height,
    };
  });
}

/** A visible indicator: a drawn outline (Chromium's own ring is style `auto`) or a box shadow, on a box that has a size. */
function indicator(f: Focused): string | undefined {
  if (f.width <= 0 || f.height <= 0) return undefined;
  const transparent = /rgba\(\d+, \d+, \d+, 0\)|transparent/.test(f.outlineColor);
  if (f.outlineStyle !== 'none' && f.outlineWidth > 0 && !transparent) return `outline ${f.outline}`;
  if (f.boxShadow && f.boxShadow !== 'none') return `box-shadow ${f.boxShadow}`;
  return undefined;
}

/** The keyboard flow, one recorded step per focus stop, each checked for a visible indicator. */
class Keyboard {
  readonly steps: string[] = [];
  readonly #page: Page;
  readonly #frame: Frame;

  constructor(page: Page, frame: Frame) {
    this.#page = page;
    this.#frame = frame;
  }

  async press(key: string): Promise<void> {
    await this.#page.keyboard.press(key);
  }

  async type(text: string): Promise<void> {
    await this.#page.keyboard.type(text);
  }

  /** Presses Tab (or Shift+Tab) until the focused element matches, at most `MAX_TABS` times. */
  async tabTo(step: string, matches: (f: Focused) => boolean, { back = false } = {}): Promise<Focused> {
    const seen: string[] = [];
    for (let presses = 1; presses <= MAX_TABS; presses++) {
      await this.press(back ? 'Shift+Tab' : 'Tab');
      const now = await focused(this.#frame);
      if (now && matches(now)) return this.#record(step, now, presses);
      seen.push(describeFocus(now));
    }
    assert.fail(`${step}: not reached in ${MAX_TABS} presses of ${back ? 'Shift+Tab' : 'Tab'}; last stops:\n  ${seen.slice(-8).join('\n  ')}`);
  }

  /** Where focus is now (moved there by the element after a key press), checked and recorded. */
  async expectFocus(step: string, matches: (f: Focused) => boolean, timeoutMs = 5_000): Promise<Focused> {
    const until = Date.now() + timeoutMs;
    let now = await focused(this.#frame);
    while (!(now && matches(now)) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      now = await focused(this.#frame);
    }
    assert.ok(now && matches(now), `${step}: focus is on ${describeFocus(now)}`);
    return this.#record(step, now, 0);
  }

  #record(step: string, f: Focused, presses: number): Focused {
    const shown = indicator(f);
    assert.ok(shown, `${step}: no visible focus indicator on ${describeFocus(f)} (outline ${f.outline}, box-shadow ${f.boxShadow}, ${f.width}×${f.height})`);
    this.steps.push(`${step} — ${presses > 0 ? `${presses}× ${presses === 1 ? 'key' : 'keys'}` : 'focus moved'} → ${describeFocus(f)} — ${shown}`);
    return f;
  }
}

const text = async (frame: Frame, selector: string): Promise<string> =>
  ((await frame.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function notesOnServer(): Promise<string[]> {
  return (await sandbox.fhir.searchUnchecked('DocumentReference', `patient=${PATIENT}&_count=1000`)).map((d) => d.id ?? '');
}

describe('the whole flow with the keyboard alone', () => {
  test('browse, open findings, accept, reject with a reason, compose, confirm sections, attest, survive a refused write, file', { timeout: 180_000 }, async (t) => {
    const notesBefore = await notesOnServer();
    // A slow, chunked answer, so the streaming announcements can be watched.
    const modelSettings = { ...sandbox.settings.model };
    Object.assign(sandbox.settings.model, { latencyMs: 300, chunkIntervalMs: 3 });
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let kb: Keyboard | undefined;
    try {
      await page.goto(`${sandbox.ehrOrigin}/`);
      // The one mouse action: choosing the patient in the EHR's own list.
      await page.click(`button[data-patient-id="${PATIENT}"]`);
      const frame = (await (await page.waitForSelector('#curbside-frame:not([hidden])')).contentFrame())!;

      // Streaming: the progress shown on screen is also in a live region while the answer arrives.
      const announced = await frame.waitForFunction(
        () => {
          const view = document
            .querySelector('curbside-sidebar')
            ?.shadowRoot?.querySelector('curbside-suggestions')
            ?.shadowRoot?.querySelector('curbside-differential[state="streaming"]');
          const root = view?.shadowRoot;
          if (!root) return undefined;
          const shown = (root.querySelector('[part~="progress"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
          if (!/Receiving the answer/.test(shown)) return undefined;
          const regions = [...root.querySelectorAll('[role="status"], [role="alert"], [aria-live]')].filter((r) => r.getAttribute('aria-live') !== 'off');
          const live = regions.find((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim() === shown);
          if (!live) return undefined;
          return { shown, role: live.getAttribute('role') ?? `aria-live=${live.getAttribute('aria-live')}`, busy: root.querySelector('[part~="base"]')?.getAttribute('aria-busy') };
        },
        undefined,
        { timeout: 30_000, polling: 'raf' },
      );
      const streaming = (await announced.jsonValue())!;
      assert.equal(streaming.role, 'status');
      assert.equal(streaming.busy, 'true', 'the differential is marked busy while it streams');
      t.diagnostic(`streaming announced in role=${streaming.role}: "${streaming.shown}"`);

      const view = frame.locator('curbside-differential[state="ready"]');
      await view.waitFor({ timeout: 30_000 });
      const ready = view.locator('[role="status"]').first();
      assert.match((await ready.textContent()) ?? '', /\d+ suggestions? ready/);
      const itemCount = await view.locator('[part~="item"]').count();
      assert.ok(itemCount >= 2, 'at least two suggestions to decide on');

      kb = new Keyboard(page, frame);
      const inDifferential = (f: Focused): boolean => owner(f) === 'curbside-differential';

      // Browse the differential: every suggestion's disclosure, forwards, then back to the first.
      await kb.tabTo('Tab from the EHR shell into Curbside, to the first suggestion', (f) => inDifferential(f) && f.id === 'disclosure-0');
      for (let i = 1; i < itemCount; i++) {
        await kb.tabTo(`Browse to suggestion ${i + 1}`, (f) => inDifferential(f) && f.id === `disclosure-${i}`);
      }
      await kb.tabTo('Shift+Tab back to the first suggestion', (f) => inDifferential(f) && f.id === 'disclosure-0', { back: true });

      // Open the first suggestion's findings and follow one to the chart.
      const first = view.locator('[part~="item"]').nth(0);
      const firstCondition = await text(frame, 'curbside-differential [part~="item"] >> nth=0 >> [part~="condition"]');
      await kb.press('Enter');
      assert.equal(await first.locator('[part~="disclosure"]').getAttribute('aria-expanded'), 'true', 'Enter opens the findings');
      await kb.expectFocus('Enter opened the findings; focus stays on the disclosure', (f) => f.id === 'disclosure-0');
      const chip = await kb.tabTo('Tab to the first finding found in the chart', (f) => inDifferential(f) && hasPart(f, 'chip'));
      await kb.press('Enter');
      await kb.expectFocus('Enter on the finding brings up its fact in the chart summary', (f) => owner(f) === 'curbside-chart-summary' && hasPart(f, 'item'));
      assert.ok((await frame.locator('curbside-chart-summary [aria-current="true"]').count()) > 0, `the chart fact for "${chip.name}" is marked current`);

      // Accept it.
      await kb.tabTo(`Tab back to Accept on "${firstCondition}"`, (f) => inDifferential(f) && f.id === 'accept-0' && !f.disabled);
      await kb.press('Space');
      await first.locator('[part~="decision"]').waitFor();
      assert.match(await text(frame, 'curbside-differential [part~="item"] >> nth=0 >> [part~="decision"]'), /Accepted/);
      await kb.expectFocus('Space accepted it; focus stays on the button', (f) => f.id === 'accept-0');

      // Reject the second with a reason and a comment.
      const second = view.locator('[part~="item"]').nth(1);
      await kb.tabTo('Tab to the second suggestion', (f) => inDifferential(f) && f.id === 'disclosure-1');
      await kb.press('Enter');
      assert.equal(await second.locator('[part~="disclosure"]').getAttribute('aria-expanded'), 'true');
      await kb.tabTo('Tab to "Reject…"', (f) => inDifferential(f) && f.id === 'reject-1');
      await kb.press('Enter');
      await kb.expectFocus('Enter opened the reject form; focus is on the first reason', (f) => f.id === 'reason-1-0' && f.tag === 'input');
      await kb.press('ArrowDown');
      const reason = await kb.expectFocus('ArrowDown chooses the next reason', (f) => f.id === 'reason-1-1' && f.checked);
      await kb.tabTo('Tab to the comment', (f) => inDifferential(f) && f.id === 'comment-1');
      await kb.type('Already on the problem list and managed by nephrology.');
      await kb.tabTo('Tab to "Confirm rejection"', (f) => inDifferential(f) && hasPart(f, 'confirm-reject-button'));
      await kb.press('Enter');
      await second.locator('[part~="decision"]').waitFor();
      assert.match(await text(frame, 'curbside-differential [part~="item"] >> nth=1 >> [part~="decision"]'), /Rejected/);
      await kb.expectFocus('Rejected; focus returns to the Reject button', (f) => f.id === 'reject-1');
      t.diagnostic(`rejected with reason value "${reason.value}"`);

      // Compose: the clinician's own words, then each AI-drafted section confirmed one by one.
      const inComposer = (f: Focused): boolean => owner(f) === 'curbside-note-composer';
      await kb.tabTo('Tab to "Your note"', (f) => inComposer(f) && f.id === 'own-words');
      const ownWords = 'Seen today. Kidney function falling; plan reviewed with the patient.';
      await kb.type(ownWords);
      assert.equal((await focused(frame))?.value, ownWords);
      const composer = frame.locator('curbside-note-composer');
      const aiSections = await composer.locator('[part~="section-unreviewed"]').count();
      assert.ok(aiSections >= 1, 'accepting a suggestion drafts at least one AI section');
      for (let confirmed = 0; confirmed < aiSections; confirmed++) {
        await kb.tabTo(`Tab to Confirm on AI-drafted section ${confirmed + 1} of ${aiSections}`, (f) => inComposer(f) && hasPart(f, 'confirm-button'));
        await kb.press('Enter');
        if (confirmed + 1 < aiSections) await kb.expectFocus('Confirmed; focus moves to the next section to review', (f) => inComposer(f) && hasPart(f, 'section-text'));
      }
      assert.equal(await composer.locator('[part~="section-unreviewed"]').count(), 0);
      assert.equal(await composer.locator('[part~="ai-marker"]').count(), aiSections, 'the sections stay marked as AI-drafted');
      const review = await kb.expectFocus('Last section confirmed; focus moves to "Review and attest"', (f) => inComposer(f) && f.id === 'review');
      assert.equal(review.disabled, false);
      await kb.press('Enter');

      // Review and attest.
      const inAttestation = (f: Focused): boolean => owner(f) === 'curbside-attestation';
      await kb.expectFocus('"Review and attest" opened the review; focus is on its heading', (f) => inAttestation(f) && hasPart(f, 'title'));
      const attestation = frame.locator('curbside-attestation');
      const filedText = await attestation.locator('[part~="text"]').textContent();
      assert.ok(filedText?.includes(ownWords), 'the text to be filed holds the clinician’s words');
      assert.ok(filedText?.includes(firstCondition), 'and the accepted suggestion');
      await kb.tabTo('Tab to the "I have reviewed" box', (f) => inAttestation(f) && hasPart(f, 'checkbox'));
      await kb.press('Space');
      await kb.expectFocus('Space ticked it', (f) => hasPart(f, 'checkbox') && f.checked);
      await kb.tabTo('Tab to "Confirm and file"', (f) => inAttestation(f) && hasPart(f, 'confirm-button') && !f.disabled);

      // The EHR refuses the first filing. Audit events from the decisions are writes too, so let them land first.
      await eventually(async () => {
        const audits = sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === '/fhir/AuditEvent').length;
        await new Promise((r) => setTimeout(r, 500));
        const again = sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === '/fhir/AuditEvent').length;
        return audits >= 4 && audits === again ? true : undefined;
      }, 'the decisions’ audit events to be delivered');
      const logged = sandbox.requestLog.length;
      sandbox.faults.push({ on: 'write', kind: 'status', status: 422 });
      await kb.press('Enter');
      const alert = attestation.locator('[part~="alert"]');
      assert.equal(await alert.getAttribute('role'), 'alert');
      await eventually(async () => ((await alert.textContent()) ?? '').includes('The note was not filed') || undefined, 'the failure alert');
      assert.match((await alert.textContent()) ?? '', /The draft is kept/);
      const refused = sandbox.requestLog.slice(logged).filter((r) => r.status === 422);
      assert.equal(refused.length, 1);
      assert.notEqual(refused[0]!.path, '/fhir/AuditEvent', 'the refusal was spent on the note, not on an audit event');
      await kb.expectFocus('Refused: the alert is read out and focus moves to "Try again"', (f) => inAttestation(f) && hasPart(f, 'retry-button'));
      t.diagnostic(`refused write announced in role=alert: "${((await alert.textContent()) ?? '').replace(/\s+/g, ' ').trim()}"`);

      sandbox.faults.clear();
      await kb.press('Enter');
      const status = attestation.locator('[part~="status"]');
      assert.equal(await status.getAttribute('role'), 'status');
      const filed = await eventually(async () => /Filed in the chart as DocumentReference\/(\S+)/.exec((await status.textContent()) ?? '')?.[1], 'the filed note');
      assert.equal(((await alert.textContent()) ?? '').trim(), '', 'the alert is cleared once filed');
      await kb.expectFocus('Filed: focus stays in the review, on the announced outcome', (f) => inAttestation(f) && hasPart(f, 'status'));
      t.diagnostic(`filed and announced in role=status: "Filed in the chart as DocumentReference/${filed}"`);

      // Exactly one new note on the server, the one announced.
      const added = (await notesOnServer()).filter((id) => !notesBefore.includes(id));
      assert.deepEqual(added, [filed]);
      assert.deepEqual(errors, []);
    } finally {
      // The steps walked, also when one failed: they show where the keyboard got stuck.
      for (const step of kb?.steps ?? []) t.diagnostic(step);
      Object.assign(sandbox.settings.model, modelSettings);
      sandbox.faults.clear();
      await context.close();
    }
  });
});
