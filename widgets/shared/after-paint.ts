/**
 * Resolves once the browser has had the chance to paint what is already rendered, so heavy work
 * started afterwards does not hold the frame back. The animation frame comes just before the
 * paint and the task queued from it just after; a hidden page gets no frames, hence the fallback.
 */
export function afterNextPaint(fallbackMs = 100): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, fallbackMs);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}
