import { ConfigError, parseRuntimeConfig, type RuntimeConfig } from '../src/smart/config.ts';

/** Loads `curbside.config.json` from beside the page, so a deployment can change EHRs without a rebuild. */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetch(new URL('./curbside.config.json', document.baseURI), { cache: 'no-cache', credentials: 'omit' });
  } catch {
    throw new ConfigError('the configuration file could not be fetched');
  }
  if (!response.ok) throw new ConfigError(`the configuration file answered HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ConfigError('the configuration file is not valid JSON');
  }
  return parseRuntimeConfig(json);
}

/**
 * The latest `npm run evaluate -- --publish` report served beside the app, for "About this AI";
 * undefined when none is published or it can't be read (the panel then says "not yet evaluated").
 */
export async function loadEvaluationReport(): Promise<unknown> {
  try {
    const response = await fetch(new URL('./evaluation/latest.json', document.baseURI), { cache: 'no-cache', credentials: 'omit' });
    return response.ok ? ((await response.json()) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
