/**
 * Registers a custom element unless the tag is already taken. An EHR page can load the
 * plugin twice (two sidebars, a cached and a fresh bundle); `customElements.define` would
 * throw on the second copy and break it, so the first definition is kept and a warning logged.
 */
export function defineOnce(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === undefined) {
    customElements.define(tag, ctor);
    return;
  }
  if (existing !== ctor) {
    console.warn(`<${tag}> is already defined, probably by a second copy of Curbside on this page; keeping the first definition.`);
  }
}
