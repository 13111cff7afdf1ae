/**
 * Page side of the streaming-render bench: feeds `<curbside-evidence>` a long markdown answer
 * token by token, as a model streams it, or all at once; the bench reads main-thread time over CDP.
 */
import '../../widgets/evidence/evidence.ts';
import type { CurbsideEvidenceElement } from '../../widgets/evidence/evidence.ts';

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const longest: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longest.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

async function mount(): Promise<CurbsideEvidenceElement> {
  document.querySelectorAll('curbside-evidence').forEach((e) => e.remove());
  const el = document.createElement('curbside-evidence');
  el.state = 'streaming';
  document.body.append(el);
  await el.updateComplete;
  await frame();
  return el;
}

Object.assign(window, {
  async benchStream(tokens: readonly string[], tokensPerTick: number): Promise<{ longTasks: number[] }> {
    const el = await mount();
    longest.length = 0;
    let text = '';
    for (let i = 0; i < tokens.length; i += tokensPerTick) {
      text += tokens.slice(i, i + tokensPerTick).join('');
      el.answerText = text;
      // Network chunks arrive between frames, not inside one.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    el.state = 'ready';
    await el.updateComplete;
    await frame();
    await frame();
    return { longTasks: [...longest] };
  },
  /** The same arrival of tokens with nothing rendered: the floor any streaming view starts from. */
  async benchArrivalOnly(tokens: readonly string[], tokensPerTick: number): Promise<{ length: number }> {
    const sink = { answerText: '' };
    let text = '';
    for (let i = 0; i < tokens.length; i += tokensPerTick) {
      text += tokens.slice(i, i + tokensPerTick).join('');
      sink.answerText = text;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return { length: sink.answerText.length };
  },
  async benchFinal(text: string): Promise<{ longTasks: number[] }> {
    const el = await mount();
    longest.length = 0;
    el.answerText = text;
    el.state = 'ready';
    await el.updateComplete;
    await frame();
    await frame();
    return { longTasks: [...longest] };
  },
});
document.body.dataset.ready = 'true';
