/** The custom elements of `custom-elements.json`, generated at build time by the vite config. */
declare module 'virtual:curbside-elements' {
  import type { ManifestElement } from '../../scripts/custom-elements.ts';
  const elements: readonly ManifestElement[];
  export default elements;
}
