/**
 * A provider for any server that speaks OpenAI's chat-completions wire format: a hospital's
 * on-premises model server, a gateway, or the sandbox's endpoint. A key, when there is one, is
 * fixed: a 401 is final (there is nothing to refresh).
 */
import { InsightError, type InsightProvider } from '../types.ts';
import { createChatCompletionsProvider, type ChatCompletionsOptions } from './chat-completions.ts';

export interface OpenAICompatibleConfig extends ChatCompletionsOptions {
  /** Full URL of the `…/chat/completions` endpoint. */
  readonly endpoint: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer <key>`, or in `apiKeyHeader` when that is set. */
  readonly apiKey?: string;
  /** Header that carries the key instead of `Authorization`: `api-key` for Azure key auth. */
  readonly apiKeyHeader?: string;
  /** Shown to the clinician and written to the audit trail. */
  readonly name: string;
  readonly version: string;
  /** Defaults to `openai-compatible:<name>`. */
  readonly id?: string;
}

export function createOpenAICompatibleProvider(config: OpenAICompatibleConfig): InsightProvider {
  const { apiKey, apiKeyHeader, name, version } = config;
  if (apiKeyHeader !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(apiKeyHeader)) {
    throw new InsightError('configuration', 'The API key header name is not a valid header name.');
  }
  const headers: Record<string, string> = {};
  if (apiKey) {
    if (apiKeyHeader && apiKeyHeader.toLowerCase() !== 'authorization') headers[apiKeyHeader.toLowerCase()] = apiKey;
    else headers.authorization = `Bearer ${apiKey}`;
  }
  return createChatCompletionsProvider({
    ...config,
    id: config.id ?? `openai-compatible:${name}`,
    identity: { provider: 'openai-compatible', name, version, builtIn: false },
    auth: { headers: () => Promise.resolve({ ...headers }) },
  });
}
