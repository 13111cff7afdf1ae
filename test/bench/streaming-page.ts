/**
 * Page side of the streaming-render bench. `benchModelStream` asks the bench's model server for a
 * long answer through the app's own chat-completions provider and shows it in
 * `<curbside-evidence>` as `<curbside-suggestions>` does (the summary field pulled from the
 * streamed JSON, the element re-given the text on each delta), with the request made either by
 * the model-stream worker, as the sidebar does, or by the page itself; `benchFinal` renders the
 * finished answer once. The bench reads main-thread time over CDP.
 */
import '../../widgets/evidence/evidence.ts';
import type { CurbsideEvidenceElement } from '../../widgets/evidence/evidence.ts';
import { createOpenAICompatibleProvider } from '../../src/insight/providers/openai-compatible.ts';
import { SummaryFieldExtractor } from '../../src/insight/stream-text.ts';
import { modelFetch } from '../../launch/model-stream/index.ts';
import { CASE } from '../msw/insight-fixtures.ts';

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const longest: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longest.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

/** The answer the one-shot and replayed renders show, given once by `benchSetAnswer` (not re-sent, and re-parsed, with every figure). */
let answer = '';

async function mount(): Promise<CurbsideEvidenceElement> {
  document.querySelectorAll('curbside-evidence').forEach((e) => e.remove());
  const el = document.createElement('curbside-evidence');
  el.state = 'streaming';
  document.body.append(el);
  await el.updateComplete;
  await frame();
  return el;
}

/** The answer is complete: the element shows all of it, and the frames after it are counted too. */
async function showReady(el: CurbsideEvidenceElement): Promise<void> {
  el.state = 'ready';
  await el.updateComplete;
  await frame();
  await frame();
}

export interface StreamRun {
  readonly longTasks: number[];
  /** Tasks in which text reached the element (one per network chunk, or per worker batch). */
  readonly deliveries: number;
  readonly textLength: number;
  readonly error?: string;
  readonly transport: string;
  readonly workerKind: string | undefined;
}

Object.assign(window, {
  benchSetAnswer(text: string): void {
    answer = text;
  },
  async benchModelStream(endpoint: string, transport: 'worker' | 'page'): Promise<StreamRun> {
    const offThread = transport === 'worker' ? modelFetch() : undefined;
    const provider = createOpenAICompatibleProvider({ endpoint, model: 'bench', name: 'Bench model', version: '1', ...(offThread ? { fetch: offThread } : {}) });
    const el = await mount();
    longest.length = 0;
    const extractor = new SummaryFieldExtractor();
    let deliveries = 0;
    let delivered = false;
    const ran = (): Pick<StreamRun, 'transport' | 'workerKind'> => ({ transport: offThread?.mode() ?? 'page', workerKind: offThread?.workerKind() });
    try {
      const result = await provider.generate(
        { task: { kind: 'evidence', question: 'What does the evidence say?' }, case: CASE },
        {
          onProgress: (progress) => {
            if (progress.kind !== 'text') return;
            extractor.push(progress.delta);
            el.answerText = extractor.text;
            if (!delivered) {
              delivered = true;
              deliveries += 1;
              queueMicrotask(() => (delivered = false));
            }
          },
        },
      );
      el.answerText = result.output.summary;
      await showReady(el);
      return { longTasks: [...longest], deliveries, textLength: result.output.summary.length, ...ran() };
    } catch (error) {
      return { longTasks: [...longest], deliveries, textLength: 0, error: error instanceof Error ? error.message : String(error), ...ran() };
    }
  },
  /** The element in its streaming state for `ms`, with nothing arriving: what showing progress costs alone. */
  async benchWaiting(ms: number): Promise<void> {
    const el = await mount();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await showReady(el);
  },
  /**
   * The answer given to the element in `updates` equal steps over `ms`, as a stream's batches
   * would, with no network: what the same renders cost when spread over a longer or shorter time.
   */
  async benchReplay(updates: number, ms: number): Promise<void> {
    const el = await mount();
    for (let i = 1; i <= updates; i++) {
      el.answerText = answer.slice(0, Math.round((answer.length * i) / updates));
      await new Promise((resolve) => setTimeout(resolve, ms / updates));
    }
    await showReady(el);
  },
  async benchFinal(): Promise<{ longTasks: number[] }> {
    const el = await mount();
    longest.length = 0;
    el.answerText = answer;
    await showReady(el);
    return { longTasks: [...longest] };
  },
});
document.body.dataset.ready = 'true';
