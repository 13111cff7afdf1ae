/**
 * Fails the running test when Lit's dev build warns (a change-in-update, a shadowed class
 * field…). Installed on import, before any element module loads, so definition-time warnings
 * are caught too; the one-off "Lit is in dev mode" notice is expected.
 */

const LIT_WARNING = /lit\.dev\/msg\/(?!dev-mode)/;
const collected: string[] = [];
const originalWarn = console.warn.bind(console);

console.warn = (...args: unknown[]) => {
  const text = args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');
  if (LIT_WARNING.test(text)) collected.push(text);
  originalWarn(...args);
};

/** Call once per test file: every test then fails if Lit warned while it ran. */
export function failOnLitWarnings(): void {
  afterEach(() => {
    if (collected.length === 0) return;
    const warnings = collected.splice(0);
    throw new Error(`Lit warned during this test:\n${warnings.join('\n')}`);
  });
}
