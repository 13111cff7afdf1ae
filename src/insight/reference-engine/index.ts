export { createReferenceEngineProvider, runReferenceEngine, REFERENCE_ENGINE_IDENTITY, REFERENCE_ENGINE_VERSION, type ReferenceEngineOptions } from './engine.ts';
export { CONDITIONS, KNOWLEDGE_BASE_DATE } from './knowledge-base/index.ts';
export { REFERENCES, type Reference, type ReferenceKey } from './references.ts';
export type { ConditionDefinition, ConditionKind } from './rules.ts';
