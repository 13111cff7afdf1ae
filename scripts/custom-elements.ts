/**
 * Runs `@custom-elements-manifest/analyzer` over `widgets/` (see
 * `custom-elements-manifest.config.mjs`) and reads back the manifest, for the library build, the
 * docs page and the tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The parts of the custom-elements manifest schema Curbside reads. */
export interface ManifestItem {
  readonly name: string;
  readonly description?: string;
  readonly summary?: string;
}
export interface ManifestMember extends ManifestItem {
  readonly kind: 'field' | 'method';
  readonly type?: { readonly text: string };
  readonly attribute?: string;
  readonly static?: boolean;
  readonly privacy?: string;
  readonly default?: string;
}
export interface ManifestElement extends ManifestItem {
  readonly kind: 'class';
  readonly tagName: string;
  readonly members?: readonly ManifestMember[];
  readonly attributes?: readonly (ManifestItem & { readonly fieldName?: string })[];
  readonly events?: readonly (ManifestItem & { readonly type?: { readonly text: string } })[];
  readonly cssParts?: readonly ManifestItem[];
  readonly cssProperties?: readonly (ManifestItem & { readonly default?: string })[];
  readonly slots?: readonly ManifestItem[];
}
export interface CustomElementsManifest {
  readonly schemaVersion: string;
  readonly modules: readonly { readonly path: string; readonly declarations?: readonly ({ readonly kind: string; readonly tagName?: string } & Partial<ManifestElement>)[] }[];
}

const root = resolve(import.meta.dirname, '..');

/** Writes `custom-elements.json` into `outdir` (relative to the repository) and returns it. */
export function generateManifest(outdir = 'dist-lib'): CustomElementsManifest {
  const cli = resolve(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
  execFileSync(process.execPath, [cli, 'analyze', '--outdir', outdir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(resolve(root, outdir, 'custom-elements.json'), 'utf8')) as CustomElementsManifest;
}

/** Every custom element in the manifest, in module order. */
export function manifestElements(manifest: CustomElementsManifest): ManifestElement[] {
  return manifest.modules.flatMap((mod) => (mod.declarations ?? []).filter((d): d is ManifestElement => typeof d.tagName === 'string'));
}
