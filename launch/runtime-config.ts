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
