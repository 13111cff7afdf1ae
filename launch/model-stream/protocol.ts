/**
 * Messages between the sidebar and the model-stream worker. Requests carry an id; the worker
 * answers each with `head` (or `error`), then the body as `chunk`s, then `end` (or `error`).
 */

export type ToWorker =
  | {
      readonly kind: 'fetch';
      readonly id: number;
      readonly url: string;
      readonly method: string;
      readonly headers: ReadonlyArray<readonly [string, string]>;
      readonly body: string | null;
      /** The least time between two `chunk` messages of one response. */
      readonly flushMs: number;
    }
  | { readonly kind: 'abort'; readonly id: number };

export type FromWorker =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'head';
      readonly id: number;
      readonly status: number;
      readonly statusText: string;
      readonly headers: ReadonlyArray<readonly [string, string]>;
    }
  /** Every byte that arrived since the previous chunk, in one buffer (transferred, not copied). */
  | { readonly kind: 'chunk'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly kind: 'end'; readonly id: number }
  /** `name` only (e.g. TypeError, AbortError): a message could quote the URL. */
  | { readonly kind: 'error'; readonly id: number; readonly name: string };
