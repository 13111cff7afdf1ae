import { createContext } from '@lit/context';
import type { FhirRequester, LaunchContext } from '../../src/smart/context.ts';

// String keys, not symbols: a second copy of the plugin on the page still matches the provider.
export const launchContext = createContext<LaunchContext | undefined>('curbside-launch-context');
export const fhirContext = createContext<FhirRequester | undefined>('curbside-fhir');
