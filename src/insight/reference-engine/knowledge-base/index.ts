/**
 * The reference engine's knowledge base: every condition it can raise, each with its codes, the
 * rules that read the case, what would settle it, and the guideline it relies on.
 */
import type { ConditionDefinition } from '../rules.ts';
import { CARDIOVASCULAR } from './cardiovascular.ts';
import { ENDOCRINE } from './endocrine.ts';
import { GENERAL } from './general.ts';
import { HAEMATOLOGY } from './haematology.ts';
import { INFECTION } from './infection.ts';
import { KIDNEY } from './kidney.ts';
import { MEDICATION_SAFETY } from './medication-safety.ts';
import { METABOLIC } from './metabolic.ts';
import { PREGNANCY } from './pregnancy.ts';
import { RESPIRATORY } from './respiratory.ts';

/** When the knowledge base was last checked against the guidelines it cites. */
export const KNOWLEDGE_BASE_DATE = '2026-01-15';

export const CONDITIONS: readonly ConditionDefinition[] = [
  ...KIDNEY,
  ...METABOLIC,
  ...HAEMATOLOGY,
  ...CARDIOVASCULAR,
  ...INFECTION,
  ...RESPIRATORY,
  ...ENDOCRINE,
  ...GENERAL,
  ...PREGNANCY,
  ...MEDICATION_SAFETY,
];
