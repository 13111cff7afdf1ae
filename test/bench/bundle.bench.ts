/**
 * What the sidebar page (dist/index.html, the redirect URI) makes the browser download: its entry
 * script and modulepreloads, and every chunk reached from them by static imports, is the initial
 * load; chunks reached only through a dynamic `import()` are lazy. Sizes are per chunk as
 * transferred: gzip at level 9 and brotli at quality 11, as a static host precompresses them.
 * The build's source maps attribute each initial chunk's minified bytes to the modules they came
 * from, and name the chunks that hold `@azure/msal-browser`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { parseAst } from 'vite';
import { PROJECT_ROOT } from '../../launch/sandbox/server.ts';

export interface ChunkSize {
  /** Path inside dist/. */
  file: string;
  load: 'initial' | 'lazy';
  raw: number;
  gzip: number;
  brotli: number;
  /** Holds modules of @azure/msal-browser (or of msal-common, which only it uses). */
  msal: boolean;
}

export interface ModuleShare {
  /** An npm package, or a project folder. */
  name: string;
  /** Minified bytes in the initial chunks. */
  bytes: number;
}

export interface BundleReport {
  entry: string;
  chunks: ChunkSize[];
  initial: { raw: number; gzip: number; brotli: number; chunks: number };
  total: { raw: number; gzip: number; brotli: number; chunks: number };
  /** Chunks holding MSAL, and whether any of them is in the initial load. */
  msalChunks: string[];
  msalInitial: boolean;
  /** Modulepreloaded by index.html although no static import reaches it. */
  preloadedButLazy: string[];
  /** Initial bytes by package or folder, largest first. */
  initialByOrigin: ModuleShare[];
}

interface Imports {
  readonly staticImports: string[];
  readonly dynamicImports: string[];
}

type AstNode = { type?: string; [key: string]: unknown };

function literalValue(node: unknown): string | undefined {
  const n = node as AstNode | undefined;
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  // The minifier writes import specifiers as template literals without expressions.
  if (n?.type === 'TemplateLiteral' && (n.expressions as unknown[]).length === 0) {
    return ((n.quasis as Array<{ value: { cooked: string } }>)[0]?.value.cooked) ?? undefined;
  }
  return undefined;
}

function importsOf(code: string): Imports {
  const program = parseAst(code) as unknown as { body: AstNode[] };
  const staticImports: string[] = [];
  const dynamicImports: string[] = [];
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') {
      const source = literalValue(node.source);
      if (source) staticImports.push(source);
    }
  }
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.type === 'ImportExpression') {
      const source = literalValue(n.source);
      if (source) dynamicImports.push(source);
    }
    for (const [key, child] of Object.entries(n)) if (key !== 'type' && child && typeof child === 'object') visit(child);
  };
  visit(program.body);
  return { staticImports, dynamicImports };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One source-map segment's VLQ fields. */
function decodeSegment(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let scale = 1;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) * scale;
    if (digit & 32) {
      scale *= 32;
    } else {
      values.push(value % 2 ? -Math.floor(value / 2) : value / 2);
      value = 0;
      scale = 1;
    }
  }
  return values;
}

interface SourceMap {
  readonly sources: readonly string[];
  readonly sourceRoot?: string;
  readonly mappings: string;
}

/**
 * Generated characters per original source, from the chunk's source map. Text before a line's
 * first segment, and lines with none (the rest of a multi-line template literal: Lit's styles),
 * continue the segment before them.
 */
function charsBySource(code: string, map: SourceMap): Map<string, number> {
  const sizes = new Map<string, number>();
  const add = (source: number | undefined, n: number): void => {
    const name = source === undefined ? '(no source)' : (map.sources[source] ?? '(no source)');
    if (n > 0) sizes.set(name, (sizes.get(name) ?? 0) + n);
  };
  const mappingLines = map.mappings.split(';');
  let sourceIndex = 0;
  let current: number | undefined;
  code.split('\n').forEach((text, l) => {
    let column = 0;
    let from = 0;
    for (const raw of (mappingLines[l] ?? '').split(',')) {
      if (!raw) continue;
      const fields = decodeSegment(raw);
      column += fields[0]!;
      add(current, column - from);
      from = column;
      // Each field is a delta on its own running value; only the source index matters here.
      if (fields.length >= 4) sourceIndex += fields[1]!;
      current = fields.length >= 4 ? sourceIndex : undefined;
    }
    add(current, text.length - from);
  });
  return sizes;
}

/** An npm package by name, or a project folder such as `src/chart`. */
function originOf(source: string, mapDir: string, sourceRoot = ''): string {
  if (source === '(no source)' || source.startsWith('\0')) return '(bundler runtime and glue)';
  const absolute = resolve(mapDir, sourceRoot, source);
  const marker = absolute.lastIndexOf('/node_modules/');
  if (marker >= 0) {
    const parts = absolute.slice(marker + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const path = relative(PROJECT_ROOT, absolute);
  return path.split('/').slice(0, 2).join('/');
}

function gzipSize(buffer: Buffer): number {
  return gzipSync(buffer, { level: 9 }).length;
}

function brotliSize(buffer: Buffer): number {
  return brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length } }).length;
}

/** `distDir`: a build of the app; its `index.html` is the sidebar page. */
export function benchBundle(distDir = join(PROJECT_ROOT, 'dist')): BundleReport {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const attribute = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const fromHtml = (href: string): string => relative(distDir, join(distDir, href.replace(/^\//, '')));
  const entries = tags.filter((t) => t.startsWith('<script') && /type="module"/.test(t) && attribute(t, 'src')).map((t) => fromHtml(attribute(t, 'src')!));
  const preloads = tags.filter((t) => /rel="modulepreload"/.test(t) && attribute(t, 'href')).map((t) => fromHtml(attribute(t, 'href')!));
  if (entries.length === 0) throw new Error('dist/index.html loads no module script');

  const imports = new Map<string, Imports>();
  const read = (file: string): Imports => {
    let found = imports.get(file);
    if (!found) {
      found = importsOf(readFileSync(join(distDir, file), 'utf8'));
      imports.set(file, found);
    }
    return found;
  };
  const resolveFrom = (file: string, specifier: string): string => relative(distDir, resolve(dirname(join(distDir, file)), specifier));
  const closure = (roots: readonly string[], seen = new Set<string>()): Set<string> => {
    const stack = roots.filter((r) => !seen.has(r));
    for (const r of stack) seen.add(r);
    while (stack.length > 0) {
      const file = stack.pop()!;
      for (const specifier of read(file).staticImports) {
        const next = resolveFrom(file, specifier);
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return seen;
  };

  const staticGraph = closure(entries);
  const preloadedButLazy = preloads.filter((p) => !staticGraph.has(p));
  // Whatever is modulepreloaded is downloaded at once, imported or not.
  const initial = closure(preloads, new Set(staticGraph));
  const all = new Set(initial);
  const pending = [...initial];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const targets = read(file).dynamicImports.map((d) => resolveFrom(file, d));
    for (const reached of closure(targets, new Set())) {
      if (!all.has(reached)) {
        all.add(reached);
        pending.push(reached);
      }
    }
  }

  const chunks: ChunkSize[] = [];
  const byOrigin = new Map<string, number>();
  for (const file of [...all].sort()) {
    const path = join(distDir, file);
    const buffer = readFileSync(path);
    const code = buffer.toString('utf8');
    const mapPath = `${path}.map`;
    const map = existsSync(mapPath) ? (JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMap) : undefined;
    const msal = map
      ? map.sources.some((s) => /node_modules\/@azure\/msal-(browser|common)\//.test(s))
      : code.includes('@azure/msal-browser') || code.includes('@azure/msal-common');
    const load = initial.has(file) ? 'initial' : 'lazy';
    chunks.push({ file, load, raw: buffer.length, gzip: gzipSize(buffer), brotli: brotliSize(buffer), msal });
    if (load === 'initial') {
      const sizes = map ? charsBySource(code, map) : new Map([['(no source)', code.length]]);
      for (const [source, chars] of sizes) {
        const origin = originOf(source, dirname(mapPath), map?.sourceRoot);
        byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + chars);
      }
    }
  }
  chunks.sort((a, b) => (a.load === b.load ? b.gzip - a.gzip : a.load === 'initial' ? -1 : 1));
  const sum = (list: readonly ChunkSize[]) => ({
    raw: list.reduce((n, c) => n + c.raw, 0),
    gzip: list.reduce((n, c) => n + c.gzip, 0),
    brotli: list.reduce((n, c) => n + c.brotli, 0),
    chunks: list.length,
  });
  const msalChunks = chunks.filter((c) => c.msal);
  return {
    entry: entries.join(', '),
    chunks,
    initial: sum(chunks.filter((c) => c.load === 'initial')),
    total: sum(chunks),
    msalChunks: msalChunks.map((c) => c.file),
    msalInitial: msalChunks.some((c) => c.load === 'initial'),
    preloadedButLazy,
    initialByOrigin: [...byOrigin].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}
