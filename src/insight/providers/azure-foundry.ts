/**
 * A provider for models deployed in Azure (Azure OpenAI / Azure AI Foundry), authorised per
 * clinician with an Entra ID token. Two endpoint forms are in use:
 *
 *   Azure OpenAI v1   https://<resource>.openai.azure.com/openai/v1/chat/completions
 *                     (also under <resource>.services.ai.azure.com/openai/v1/); no api-version;
 *                     the deployment name goes in `model`.
 *   Foundry models    https://<resource>.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview
 *                     (being retired); the deployment name goes in `model` too.
 *
 * The URL is taken whole from configuration, so a hospital's gateway (API Management) can stand
 * in front of either; the helpers below only build the usual forms.
 */
import { InsightError, type InsightProvider } from '../types.ts';
import { checkEndpoint, createChatCompletionsProvider, type ChatCompletionsOptions } from './chat-completions.ts';

/** Where bearer tokens come from (MSAL in the browser, a fake in tests). */
export interface TokenSource {
  /** A valid access token, from cache when possible; throws `InsightError('unauthorized')` when sign-in is needed. */
  getToken(): Promise<string>;
  /** A new token, bypassing the cache (after the service refused one). */
  refresh(): Promise<string>;
}

export const FOUNDRY_MODELS_API_VERSION = '2024-05-01-preview';

/** `https://<resource>.openai.azure.com/openai/v1/chat/completions` */
export function azureOpenAIv1Endpoint(resource: string): string {
  return `https://${checkResource(resource)}.openai.azure.com/openai/v1/chat/completions`;
}

/** `https://<resource>.services.ai.azure.com/models/chat/completions?api-version=…` */
export function foundryModelsEndpoint(resource: string, apiVersion = FOUNDRY_MODELS_API_VERSION): string {
  return `https://${checkResource(resource)}.services.ai.azure.com/models/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
}

function checkResource(resource: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(resource)) throw new InsightError('configuration', 'The Azure resource name is not valid.');
  return resource;
}

export interface AzureFoundryConfig extends ChatCompletionsOptions {
  /** Full URL of the chat-completions endpoint (either form, or a gateway in front of one). */
  readonly endpoint: string;
  /** The deployment name. */
  readonly model: string;
  readonly tokenSource: TokenSource;
  /** Shown to the clinician; defaults to the deployment name. */
  readonly name?: string;
  /** Defaults to the model id the service reports with each answer (e.g. `gpt-4.1-2025-04-14`). */
  readonly version?: string;
  readonly id?: string;
}

export function createAzureFoundryProvider(config: AzureFoundryConfig): InsightProvider {
  const url = checkEndpoint(config.endpoint);
  // Azure's own models route answers 400 without an api-version; a gateway may add it, so only
  // Azure's hosts are held to it.
  if (/\.(services|inference)\.ai\.azure\.com$/.test(url.hostname) && url.pathname.startsWith('/models/') && !url.searchParams.has('api-version')) {
    throw new InsightError('configuration', 'The Foundry models endpoint needs an api-version query parameter.');
  }
  const { tokenSource } = config;
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const name = config.name ?? config.model;
  return createChatCompletionsProvider({
    ...config,
    id: config.id ?? `azure-foundry:${name}`,
    identity: { provider: 'azure-foundry', name, version: config.version ?? 'unspecified', builtIn: false },
    versionFromResponse: config.version === undefined,
    auth: {
      headers: async () => bearer(await tokenSource.getToken()),
      refresh: async () => bearer(await tokenSource.refresh()),
    },
  });
}
