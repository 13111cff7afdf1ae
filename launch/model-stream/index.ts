/// <reference types="vite/client" />
/**
 * The sidebar's model fetch: requests to the model service run in the model-stream worker.
 * Vite builds the worker as a file of its own and gives its URL here.
 */
import workerUrl from './stream-worker.ts?worker&url';
import { createOffThreadFetch, type OffThreadFetch } from './off-thread-fetch.ts';

export { createOffThreadFetch, WORKER_POLICY_NAME, type OffThreadFetch, type OffThreadFetchOptions, type WorkerKind } from './off-thread-fetch.ts';

let shared: OffThreadFetch | undefined;

/** One worker for every model request of the page, started by the first. */
export function modelFetch(): OffThreadFetch {
  shared ??= createOffThreadFetch({ workerUrl });
  return shared;
}
