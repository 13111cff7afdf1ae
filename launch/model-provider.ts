/**
 * Turns the runtime configuration's model entry into an `InsightProvider`. Azure's sign-in
 * library is only loaded when an Azure model is configured, and then only on first use.
 */
import type { ModelConfig } from '../src/smart/config.ts';
import {
  createAzureFoundryProvider,
  createMsalTokenSource,
  createOpenAICompatibleProvider,
  type InsightProvider,
  type MsalTokenSource,
} from '../src/insight/index.ts';

export interface ConfiguredModel {
  readonly provider: InsightProvider;
  /** Present for models that need the clinician to sign in (Azure AI Foundry). */
  readonly signIn?: MsalTokenSource;
}

/**
 * The built-in engine's knowledge base is large; it is fetched only when an EHR's model is the
 * embedded engine, and only when the first insight is asked for.
 */
function lazyReferenceEngine(): InsightProvider {
  const loaded = () => import('../src/insight/reference-engine/index.ts');
  let provider: Promise<InsightProvider> | undefined;
  return {
    id: 'reference-engine',
    identity: { provider: 'reference-engine', name: 'Curbside reference engine', version: 'built-in', builtIn: true },
    async generate(request, options) {
      provider ??= loaded().then((m) => m.createReferenceEngineProvider());
      return (await provider).generate(request, options);
    },
  };
}

/** A provider whose answers are labelled as the built-in engine, however they travelled. */
function labelledBuiltIn(provider: InsightProvider): InsightProvider {
  const identity = { ...provider.identity, builtIn: true };
  return {
    id: provider.id,
    identity,
    async generate(request, options) {
      const result = await provider.generate(request, options);
      return { ...result, model: { ...result.model, builtIn: true } };
    },
  };
}

/**
 * `fetch` is what remote providers send their requests with; the sidebar passes the
 * model-stream worker's (`launch/model-stream/`), so a streamed answer is read off the main thread.
 */
export function configureModel(model: ModelConfig, transport: { readonly fetch?: typeof fetch } = {}): ConfiguredModel {
  const fetchOption = transport.fetch ? { fetch: transport.fetch } : {};
  switch (model.kind) {
    case 'reference-engine':
      return { provider: lazyReferenceEngine() };
    case 'openai-compatible': {
      const provider = createOpenAICompatibleProvider({
        ...fetchOption,
        endpoint: model.endpoint,
        model: model.model,
        name: model.name,
        version: model.version,
        ...(model.apiKey ? { apiKey: model.apiKey } : {}),
        ...(model.apiKeyHeader ? { apiKeyHeader: model.apiKeyHeader } : {}),
        ...(model.stream === false ? { stream: false } : {}),
        ...(model.timeoutMs ? { timeoutMs: model.timeoutMs } : {}),
      });
      return { provider: model.builtIn ? labelledBuiltIn(provider) : provider };
    }
    case 'azure-foundry': {
      const tokenSource = createMsalTokenSource({
        clientId: model.clientId,
        authority: model.authority,
        redirectUri: model.redirectUri,
        popupRelayUri: model.popupRelayUri,
        ...(model.scopes ? { scopes: model.scopes } : {}),
      });
      const provider = createAzureFoundryProvider({
        ...fetchOption,
        endpoint: model.endpoint,
        model: model.model,
        tokenSource,
        ...(model.name ? { name: model.name } : {}),
        ...(model.version ? { version: model.version } : {}),
        ...(model.timeoutMs ? { timeoutMs: model.timeoutMs } : {}),
      });
      return { provider, signIn: tokenSource };
    }
  }
}
