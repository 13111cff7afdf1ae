/**
 * Where Curbside's AuditEvents end up: the EHR's own AuditEvent endpoint when it takes them, else
 * the hospital's configured audit sink; while neither has accepted an event it stays buffered
 * (across reloads) and goes out on the next flush.
 */
import type { AuditEvent } from 'fhir/r4';
import type { AuditBuffer, AuditSender, DrainResult } from './buffer.ts';

export class AuditDeliveryError extends Error {
  override readonly name = 'AuditDeliveryError';
}

export interface AuditRoutes {
  /** POSTs the event to the EHR's `AuditEvent` endpoint and answers the HTTP status; absent when the EHR won't store AuditEvents. */
  readonly ehr?: (event: AuditEvent) => Promise<number>;
  /** A URL that accepts POSTed AuditEvents; it never receives the EHR's access token. */
  readonly sink?: string;
  readonly fetch?: typeof fetch;
}

/**
 * The EHR first; a refusal (4xx other than 401/408/429) means it won't store them, so the sink
 * takes over for this and later events. Anything else is a delivery failure and the event waits.
 */
export function auditSender(routes: AuditRoutes): AuditSender {
  let ehrRefuses = routes.ehr === undefined;
  const doFetch = routes.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async (event) => {
    if (!ehrRefuses && routes.ehr) {
      let status: number;
      try {
        status = await routes.ehr(event);
      } catch {
        throw new AuditDeliveryError('The EHR could not be reached.');
      }
      if (status >= 200 && status < 300) return;
      if (status >= 400 && status < 500 && ![401, 408, 429].includes(status)) ehrRefuses = true;
      else throw new AuditDeliveryError(`The EHR answered HTTP ${status}.`);
    }
    if (!routes.sink) throw new AuditDeliveryError('The EHR does not store AuditEvents and no audit sink is configured.');
    let response: Response;
    try {
      response = await doFetch(routes.sink, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(event),
        credentials: 'omit',
      });
    } catch {
      throw new AuditDeliveryError('The audit sink could not be reached.');
    }
    if (!response.ok) throw new AuditDeliveryError(`The audit sink answered HTTP ${response.status}.`);
  };
}

export class AuditTrail {
  readonly #buffer: AuditBuffer;
  readonly #send: AuditSender;
  #last: Promise<DrainResult> | undefined;

  constructor(buffer: AuditBuffer, send: AuditSender) {
    this.#buffer = buffer;
    this.#send = send;
  }

  /** Buffers the event first (so a reload can't lose it), then tries to deliver everything waiting. */
  record(event: AuditEvent): Promise<DrainResult> {
    this.#buffer.add(event);
    return this.flush();
  }

  flush(): Promise<DrainResult> {
    // Chained: an event recorded while a drain runs is sent by the next one, in order.
    const previous = this.#last ?? Promise.resolve({ sent: 0, kept: 0 });
    this.#last = previous.then(() => this.#buffer.drain(this.#send));
    return this.#last;
  }

  get waiting(): number {
    return this.#buffer.size;
  }
}
